/*
 * Fornax access shim for Linux on Zynq UltraScale+ (KV260, ZCU104): the kernel's registers through
 * a UIO device (/dev/uioN, which also delivers the interrupt) or /dev/mem, and device memory through
 * /dev/mem over a physically contiguous DDR region reserved for the kernel (a reserved-memory node
 * in the device tree, or the CMA buffer of a udmabuf device). On Zynq the HP ports see DDR at its
 * physical address, so device address = physical address. docs/HARDWARE.md, "Put it on a KV260".
 */
#ifndef FORNAX_SHIM_UIO_H
#define FORNAX_SHIM_UIO_H

#include <stddef.h>
#include <stdint.h>

#include "fornax_driver.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fornax_uio {
    int uio_fd;                  /* /dev/uioN, or -1 when the registers come from /dev/mem */
    int mem_fd;                  /* /dev/mem */
    volatile uint32_t *regs;     /* the 4 KB s_axi_control window */
    unsigned char *mem;          /* the reserved DDR region, mapped uncached (O_SYNC) */
    uint64_t mem_phys;
    size_t mem_bytes;
} fornax_uio;

/* uio: "/dev/uio0", or NULL to map the registers from /dev/mem at regs_phys (the address the block
   design gave s_axi_control). mem_phys/mem_bytes: the reserved region. Returns 0 or -errno. */
int fornax_uio_open(fornax_uio *u, const char *uio, uint64_t regs_phys, uint64_t mem_phys, size_t mem_bytes);
void fornax_uio_close(fornax_uio *u);
/* The four accessors (plus wait_irq when a UIO device is open). */
fornax_shim fornax_uio_shim(fornax_uio *u);

#ifdef __cplusplus
}
#endif
#endif
