/*
 * Fornax host driver (see fornax_driver.h). Portable C99; also valid C++.
 */
#include "fornax_driver.h"

#include <stdio.h>
#include <string.h>

static uint32_t rd(const fornax_shim *s, uint32_t off) {
    return s->reg_read(s->ctx, off);
}

static void wr(const fornax_shim *s, uint32_t off, uint32_t v) {
    s->reg_write(s->ctx, off, v);
}

static void wr64(const fornax_shim *s, uint32_t off, uint64_t v) {
    wr(s, off, (uint32_t)(v & 0xFFFFFFFFu));
    wr(s, off + 4u, (uint32_t)(v >> 32));
}

/* 64-bit counter: the low word first (reading it latches the high word). */
static uint64_t rd64(const fornax_shim *s, uint32_t off) {
    uint64_t lo = rd(s, off);
    uint64_t hi = rd(s, off + 4u);
    return (hi << 32) | lo;
}

/* Device memory is little-endian whatever the host is. */
static void put_le32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v & 0xFFu);
    p[1] = (unsigned char)((v >> 8) & 0xFFu);
    p[2] = (unsigned char)((v >> 16) & 0xFFu);
    p[3] = (unsigned char)((v >> 24) & 0xFFu);
}

static uint32_t get_le32(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

int fornax_open(const fornax_shim *shim, uint32_t expected_design_id, fornax_device *dev) {
    fornax_device d;
    if (shim == NULL || shim->reg_read == NULL || dev == NULL) {
        return FORNAX_E_ARG;
    }
    if (rd(shim, FORNAX_REG_MAGIC) != FORNAX_REGS_MAGIC) {
        return FORNAX_E_DEVICE;
    }
    d.version = rd(shim, FORNAX_REG_VERSION);
    d.vocab = rd(shim, FORNAX_REG_VOCAB);
    d.context = rd(shim, FORNAX_REG_CONTEXT);
    d.weight_ports = rd(shim, FORNAX_REG_WEIGHT_PORTS);
    d.features = rd(shim, FORNAX_REG_FEATURES);
    d.lanes = rd(shim, FORNAX_REG_LANES);
    d.design_id = rd(shim, FORNAX_REG_DESIGN_ID);
    *dev = d;
    if (d.version != FORNAX_REGS_VERSION) {
        return FORNAX_E_DEVICE;
    }
    if (expected_design_id != 0u && d.design_id != expected_design_id) {
        return FORNAX_E_DEVICE;
    }
    return FORNAX_OK;
}

int fornax_load(const fornax_shim *shim, uint64_t addr, const void *data, size_t bytes) {
    if (shim == NULL || shim->mem_write == NULL || (data == NULL && bytes != 0u)) {
        return FORNAX_E_ARG;
    }
    return shim->mem_write(shim->ctx, addr, data, bytes) == 0 ? FORNAX_OK : FORNAX_E_MEM;
}

/* Copies n u32 values to device memory through a small bounce buffer (no allocation). */
static int write_words(const fornax_shim *s, uint64_t addr, const uint32_t *v, uint32_t n) {
    unsigned char buf[256];
    uint32_t i = 0;
    while (i < n) {
        uint32_t k = 0;
        while (k < 64u && i + k < n) {
            put_le32(buf + 4u * k, v[i + k]);
            k++;
        }
        if (s->mem_write(s->ctx, addr + 4u * (uint64_t)i, buf, 4u * (size_t)k) != 0) {
            return FORNAX_E_MEM;
        }
        i += k;
    }
    return FORNAX_OK;
}

static int read_words(const fornax_shim *s, uint64_t addr, uint32_t *v, size_t n) {
    unsigned char buf[256];
    size_t i = 0;
    while (i < n) {
        size_t k = n - i < 64u ? n - i : 64u;
        size_t j;
        if (s->mem_read(s->ctx, addr + 4u * (uint64_t)i, buf, 4u * k) != 0) {
            return FORNAX_E_MEM;
        }
        for (j = 0; j < k; j++) {
            v[i + j] = get_le32(buf + 4u * j);
        }
        i += k;
    }
    return FORNAX_OK;
}

/* Clears every set ISR bit (they toggle on a write of 1). */
static void clear_isr(const fornax_shim *s) {
    uint32_t isr = rd(s, FORNAX_REG_ISR);
    if (isr != 0u) {
        wr(s, FORNAX_REG_ISR, isr);
    }
}

int fornax_run(const fornax_shim *shim, const fornax_layout *layout, const fornax_request *rq, fornax_result *res) {
    uint32_t i, ctrl, vocab;
    int rc;
    if (shim == NULL || layout == NULL || rq == NULL || res == NULL || shim->reg_read == NULL
            || shim->reg_write == NULL || shim->mem_read == NULL || shim->mem_write == NULL) {
        return FORNAX_E_ARG;
    }
    if (rq->prompt == NULL || rq->prompt_len == 0u || rq->n_eos > FORNAX_REGS_EOS_SLOTS
            || (rq->n_eos != 0u && rq->eos == NULL) || layout->weight_ports > FORNAX_REGS_MAX_WEIGHT_PORTS
            || (res->tokens == NULL && res->token_capacity != 0u) || res->token_capacity < rq->max_new
            || (rq->logits != NULL && layout->logits == 0u)) {
        return FORNAX_E_ARG;
    }
    ctrl = rd(shim, FORNAX_REG_AP_CTRL);
    if ((ctrl & FORNAX_AP_CTRL_AP_IDLE) == 0u) {
        return FORNAX_E_BUSY;
    }
    vocab = rd(shim, FORNAX_REG_VOCAB);

    rc = write_words(shim, layout->prompt, rq->prompt, rq->prompt_len);
    if (rc != FORNAX_OK) {
        return rc;
    }
    wr64(shim, FORNAX_REG_PROMPT_ADDR, layout->prompt);
    wr64(shim, FORNAX_REG_OUTPUT_ADDR, layout->output);
    wr64(shim, FORNAX_REG_LOGITS_ADDR, layout->logits);
    wr64(shim, FORNAX_REG_KV_ADDR, layout->kv);
    wr(shim, FORNAX_REG_PROMPT_LEN, rq->prompt_len);
    wr(shim, FORNAX_REG_MAX_NEW, rq->max_new);
    wr(shim, FORNAX_REG_FLAGS, (rq->ignore_eos ? FORNAX_FLAGS_IGNORE_EOS : 0u)
            | (rq->logits != NULL ? FORNAX_FLAGS_WRITE_LOGITS : 0u));
    for (i = 0; i < FORNAX_REGS_EOS_SLOTS; i++) {
        wr(shim, FORNAX_REG_EOS_ID_AT(i), i < rq->n_eos ? rq->eos[i] : FORNAX_REGS_NO_EOS);
    }
    for (i = 0; i < layout->weight_ports; i++) {
        wr64(shim, FORNAX_REG_W_BASE_AT(i), layout->weights[i]);
    }

    /* a clean interrupt state, then start; reading AP_CTRL clears a stale AP_DONE */
    clear_isr(shim);
    if (shim->wait_irq != NULL) {
        wr(shim, FORNAX_REG_IER, FORNAX_IER_DONE);
        wr(shim, FORNAX_REG_GIE, FORNAX_GIE_ENABLE);
    }
    (void)rd(shim, FORNAX_REG_AP_CTRL);
    wr(shim, FORNAX_REG_AP_CTRL, FORNAX_AP_CTRL_AP_START | (rq->auto_restart ? FORNAX_AP_CTRL_AUTO_RESTART : 0u));

    if (shim->wait_irq != NULL) {
        for (;;) {
            int w = shim->wait_irq(shim->ctx, rq->irq_timeout_ms != 0u ? rq->irq_timeout_ms : 60000u);
            if (w < 0) {
                return FORNAX_E_MEM;
            }
            if (w > 0) {
                return FORNAX_E_TIMEOUT;
            }
            if ((rd(shim, FORNAX_REG_ISR) & FORNAX_ISR_DONE) != 0u) {
                break;
            }
        }
        clear_isr(shim);
        wr(shim, FORNAX_REG_GIE, 0u);
        (void)rd(shim, FORNAX_REG_AP_CTRL);
    } else {
        uint64_t polls = 0;
        while ((rd(shim, FORNAX_REG_AP_CTRL) & FORNAX_AP_CTRL_AP_DONE) == 0u) {
            if (rq->poll_limit != 0u && ++polls >= rq->poll_limit) {
                return FORNAX_E_TIMEOUT;
            }
        }
    }

    res->n_tokens = rd(shim, FORNAX_REG_TOKENS);
    res->stop_reason = rd(shim, FORNAX_REG_STOP_REASON);
    res->error = rd(shim, FORNAX_REG_ERROR);
    res->error_info = rd(shim, FORNAX_REG_ERROR_INFO);
    res->positions = rd(shim, FORNAX_REG_POSITIONS);
    res->cycles = rd64(shim, FORNAX_REG_CYCLES);
    res->weight_beats = rd64(shim, FORNAX_REG_WEIGHT_BEATS);
    res->matrix_cycles = rd64(shim, FORNAX_REG_MATRIX_CYCLES);
    res->io_beats = rd64(shim, FORNAX_REG_IO_BEATS);
    res->logit_rows = 0;
    if (res->n_tokens > res->token_capacity) {
        return FORNAX_E_DEVICE;
    }
    rc = read_words(shim, layout->output, res->tokens, res->n_tokens);
    if (rc != FORNAX_OK) {
        return rc;
    }
    if (rq->logits != NULL && vocab != 0u) {
        size_t rows = rq->logits_capacity / vocab;
        if (rows > res->positions) {
            rows = res->positions;
        }
        rc = read_words(shim, layout->logits, (uint32_t *)(void *)rq->logits, rows * (size_t)vocab);
        if (rc != FORNAX_OK) {
            return rc;
        }
        res->logit_rows = (uint32_t)rows;
    }
    switch (res->stop_reason) {
        case FORNAX_STOP_LENGTH:
        case FORNAX_STOP_EOS:
            return res->error == 0u ? FORNAX_OK : FORNAX_E_RUN;
        case FORNAX_STOP_CONTEXT:
            return FORNAX_E_CONTEXT;
        default:
            return FORNAX_E_RUN;
    }
}

const char *fornax_strerror(int code) {
    switch (code) {
        case FORNAX_OK: return "ok";
        case FORNAX_E_ARG: return "bad request or layout (nothing was started)";
        case FORNAX_E_MEM: return "device memory access failed";
        case FORNAX_E_DEVICE: return "not the expected Fornax kernel (magic, register map version or design id)";
        case FORNAX_E_BUSY: return "the kernel is running (AP_IDLE is 0)";
        case FORNAX_E_TIMEOUT: return "the kernel did not finish in time";
        case FORNAX_E_CONTEXT: return "the KV cache is full (the tokens generated so far are valid)";
        case FORNAX_E_RUN: return "the kernel reported an error (see the ERROR register)";
        default: return "unknown error";
    }
}

static const char *stop_name(uint32_t s) {
    switch (s) {
        case FORNAX_STOP_NONE: return "none";
        case FORNAX_STOP_LENGTH: return "length";
        case FORNAX_STOP_EOS: return "eos";
        case FORNAX_STOP_CONTEXT: return "context";
        case FORNAX_STOP_ERROR: return "error";
        default: return "unknown";
    }
}

void fornax_describe(const fornax_result *r, char *buf, size_t size) {
    static const struct { uint32_t bit; const char *what; } bits[] = {
        {FORNAX_ERROR_AXI_READ, "AXI read error"},
        {FORNAX_ERROR_AXI_WRITE, "AXI write error"},
        {FORNAX_ERROR_KV_OVERFLOW, "KV cache overflow"},
        {FORNAX_ERROR_BAD_TOKEN, "prompt token id not below VOCAB"},
        {FORNAX_ERROR_BAD_ARG, "bad argument (PROMPT_LEN 0 or a misaligned address)"},
    };
    size_t n, k;
    if (buf == NULL || size == 0u) {
        return;
    }
    n = (size_t)snprintf(buf, size, "stop %s, %u tokens", stop_name(r->stop_reason), (unsigned)r->n_tokens);
    for (k = 0; k < sizeof bits / sizeof bits[0] && n < size; k++) {
        if ((r->error & bits[k].bit) != 0u) {
            n += (size_t)snprintf(buf + n, size - n, "; %s", bits[k].what);
        }
    }
    if (r->error != 0u && n < size) {
        (void)snprintf(buf + n, size - n, " (ERROR_INFO 0x%08X)", (unsigned)r->error_info);
    }
}
