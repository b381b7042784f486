/*
 * Fornax host driver: runs a greedy generation on a fornax_kernel (docs/HARDWARE.md, "Kernel" and
 * "Host driver"). Portable C99, no allocation, no OS calls: every device access goes through the
 * four functions of a fornax_shim (read/write a 32-bit register, read/write device memory), so the
 * same library runs against the simulator (tb/fornax_kernel_harness.cpp), a Zynq board through
 * Linux UIO or /dev/mem (fornax_shim_uio.c) and an Alveo card through XRT (fornax_shim_xrt.cpp).
 *
 * Register offsets and bits come from fornax_regs.h, generated from the same register map as the
 * kernel's RTL.
 */
#ifndef FORNAX_DRIVER_H
#define FORNAX_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "fornax_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Access to one kernel: its register window and the device memory its AXI masters reach. */
typedef struct fornax_shim {
    void *ctx;
    /* 32-bit register at a byte offset of s_axi_control */
    uint32_t (*reg_read)(void *ctx, uint32_t offset);
    void (*reg_write)(void *ctx, uint32_t offset, uint32_t value);
    /* device memory at a device (AXI) address; return 0 on success */
    int (*mem_read)(void *ctx, uint64_t addr, void *dst, size_t bytes);
    int (*mem_write)(void *ctx, uint64_t addr, const void *src, size_t bytes);
    /* optional (may be NULL): block until the kernel's interrupt is raised or timeout_ms passed;
       return 0 when it was raised, 1 on timeout, < 0 on error. Without it the driver polls AP_CTRL. */
    int (*wait_irq)(void *ctx, uint32_t timeout_ms);
} fornax_shim;

/* Where things are in device memory (AXI addresses as the kernel's masters see them). */
typedef struct fornax_layout {
    uint64_t weights[FORNAX_REGS_MAX_WEIGHT_PORTS]; /* base of weight region i (4 KB aligned) */
    uint32_t weight_ports;                          /* regions in use: the kernel's WEIGHT_PORTS */
    uint64_t kv;                                    /* KV cache region (KV-in-DRAM designs), else 0 */
    uint64_t prompt;                                /* prompt_len u32 ids (4-byte aligned) */
    uint64_t output;                                /* max_new u32 ids (4-byte aligned) */
    uint64_t logits;                                /* (prompt_len + max_new) * vocab int32, or 0 */
} fornax_layout;

/* One generation. */
typedef struct fornax_request {
    const uint32_t *prompt;    /* token ids (the kernel refuses ids >= VOCAB: ERROR.BAD_TOKEN) */
    uint32_t prompt_len;       /* >= 1 */
    uint32_t max_new;          /* tokens to generate at most */
    const uint32_t *eos;       /* end-of-sequence ids, may be NULL */
    uint32_t n_eos;            /* <= FORNAX_REGS_EOS_SLOTS */
    int ignore_eos;            /* keep going after an EOS id */
    int32_t *logits;           /* optional: receives every position's logits (Q16), row p = position p */
    size_t logits_capacity;    /* int32 elements of logits */
    uint64_t poll_limit;       /* polling: give up after this many AP_CTRL reads (0: never) */
    uint32_t irq_timeout_ms;   /* wait_irq: give up after this long without the interrupt (0: 60000) */
    int auto_restart;          /* leave AP_CTRL.AUTO_RESTART set (the kernel then runs again at once) */
} fornax_request;

/* What a generation produced. */
typedef struct fornax_result {
    uint32_t *tokens;          /* caller's buffer of token_capacity ids: the generated tokens */
    uint32_t token_capacity;
    uint32_t n_tokens;         /* the TOKENS register */
    uint32_t stop_reason;      /* FORNAX_STOP_* */
    uint32_t error;            /* the ERROR register (FORNAX_ERROR_* bits) */
    uint32_t error_info;       /* the ERROR_INFO register */
    uint32_t positions;        /* positions computed (rows of logits written) */
    uint32_t logit_rows;       /* rows copied into request.logits */
    uint64_t cycles;           /* kernel clock cycles of the run */
    uint64_t weight_beats;     /* AXI read beats on the weight (and KV) ports */
    uint64_t matrix_cycles;    /* cycles the matrix engine streamed weights */
    uint64_t io_beats;         /* AXI beats on m_axi_io */
} fornax_result;

/* Return codes. */
#define FORNAX_OK 0
#define FORNAX_E_ARG (-1)        /* bad request or layout: nothing was started */
#define FORNAX_E_MEM (-2)        /* the shim failed a device memory access */
#define FORNAX_E_DEVICE (-3)     /* not a Fornax kernel, another register map version, or another design */
#define FORNAX_E_BUSY (-4)       /* a run is in progress (AP_CTRL.AP_IDLE is 0) */
#define FORNAX_E_TIMEOUT (-5)    /* no AP_DONE within the poll limit or interrupt timeout */
#define FORNAX_E_CONTEXT (-6)    /* the run stopped because the KV cache was full (tokens are valid) */
#define FORNAX_E_RUN (-7)        /* the kernel reported an error: result.error says which */

/* Device description read from the kernel's constant registers. */
typedef struct fornax_device {
    uint32_t version, vocab, context, weight_ports, features, lanes, design_id;
} fornax_device;

/* Reads the constant registers; checks MAGIC and the register map version, and, when expected_design_id
   is not 0, DESIGN_ID (the first 32 bits of the weight image's SHA-256, fornax_design.h). */
int fornax_open(const fornax_shim *shim, uint32_t expected_design_id, fornax_device *dev);

/* Copies a weight image (or any buffer) into device memory. */
int fornax_load(const fornax_shim *shim, uint64_t addr, const void *data, size_t bytes);

/* Writes the prompt, programs the registers, starts the kernel, waits for AP_DONE (interrupt or
   polling), reads the status, the generated ids and (when asked) the logits. */
int fornax_run(const fornax_shim *shim, const fornax_layout *layout, const fornax_request *request,
               fornax_result *result);

/* The meaning of a return code. */
const char *fornax_strerror(int code);

/* Writes a one-line description of a result's stop reason and error bits into buf (always terminated). */
void fornax_describe(const fornax_result *result, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* FORNAX_DRIVER_H */
