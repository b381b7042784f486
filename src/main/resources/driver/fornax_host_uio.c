/*
 * Fornax example host for Zynq UltraScale+ under Linux (KV260, ZCU104). Build on the board:
 *   cc -O2 -std=c99 -o fornax_host fornax_host_uio.c fornax_host.c fornax_shim_uio.c fornax_driver.c
 * Run (as root), from the design directory:
 *   ./driver/fornax_host --uio /dev/uio0 --udmabuf udmabuf0 --tokens 1,403,407,261,378 -n 32
 * --uio DEV or --regs ADDR: the kernel's registers (a UIO device, or /dev/mem at the s_axi_control
 * address of the block design, 0xA0000000); --udmabuf NAME: a u-dma-buf buffer (vivado/fornax_overlay.dtsi
 * creates udmabuf0), or --mem PHYS BYTES: a DDR region reserved at boot, through /dev/mem
 * (docs/HARDWARE.md, "Put it on a KV260").
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fornax_design.h"
#include "fornax_host.h"
#include "fornax_shim_uio.h"

static uint64_t align4k(uint64_t v) {
    return (v + 4095u) / 4096u * 4096u;
}

int main(int argc, char **argv) {
    const char *uio = NULL, *ids = NULL, *udmabuf = NULL;
    char buf_dev[128];
    uint64_t regs = 0, mem = 0, mem_bytes = 0, next;
    unsigned max_new = 32;
    int ignore_eos = 0, k, rc;
    fornax_uio u;
    fornax_shim shim;
    fornax_layout lay;
    for (k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--uio") == 0 && k + 1 < argc) uio = argv[++k];
        else if (strcmp(argv[k], "--regs") == 0 && k + 1 < argc) regs = strtoull(argv[++k], NULL, 0);
        else if (strcmp(argv[k], "--udmabuf") == 0 && k + 1 < argc) udmabuf = argv[++k];
        else if (strcmp(argv[k], "--mem") == 0 && k + 2 < argc) {
            mem = strtoull(argv[++k], NULL, 0);
            mem_bytes = strtoull(argv[++k], NULL, 0);
        } else if (strcmp(argv[k], "--tokens") == 0 && k + 1 < argc) ids = argv[++k];
        else if (strcmp(argv[k], "-n") == 0 && k + 1 < argc) max_new = (unsigned)strtoul(argv[++k], NULL, 10);
        else if (strcmp(argv[k], "--ignore-eos") == 0) ignore_eos = 1;
        else {
            fprintf(stderr, "usage: %s (--uio /dev/uioN | --regs ADDR) (--udmabuf NAME | --mem PHYS BYTES) --tokens IDS"
                    " [-n N] [--ignore-eos]\n", argv[0]);
            return 2;
        }
    }
    if (udmabuf != NULL) {
        size_t n = 0;
        if (fornax_udmabuf_info(udmabuf, &mem, &n) != 0) {
            fprintf(stderr, "fornax-host: no u-dma-buf %s (/sys/class/u-dma-buf/%s)\n", udmabuf, udmabuf);
            return 1;
        }
        mem_bytes = n;
        snprintf(buf_dev, sizeof buf_dev, "/dev/%s", udmabuf);
    }
    if (ids == NULL || mem_bytes == 0u || (uio == NULL && regs == 0u)) {
        fprintf(stderr, "fornax-host: --tokens, --udmabuf or --mem, and --uio or --regs are required\n");
        return 2;
    }
    rc = fornax_uio_open(&u, uio, regs, udmabuf != NULL ? buf_dev : NULL, mem, (size_t)mem_bytes);
    if (rc != 0) {
        fprintf(stderr, "fornax-host: cannot map the kernel or the memory region (errno %d)\n", -rc);
        return 1;
    }
    shim = fornax_uio_shim(&u);
    memset(&lay, 0, sizeof lay);
    /* the reserved region: the weight images, then prompt, output and logits buffers, 4 KB aligned */
    next = align4k(mem);
    lay.weight_ports = FORNAX_DESIGN_WEIGHT_PORTS;
#if FORNAX_DESIGN_WEIGHT_PORTS > 0
    {
        /* (a design with its weights on chip has no image and no loop: no always-false test, no unused array) */
        static const char *const images[] = FORNAX_DESIGN_IMAGES;
        unsigned i;
        for (i = 0; i < FORNAX_DESIGN_WEIGHT_PORTS; i++) {
            long n = fornax_host_load_file(&shim, next, images[i]);
            if (n < 0) {
                fprintf(stderr, "fornax-host: cannot load %s into the region (too small?)\n", images[i]);
                fornax_uio_close(&u);
                return 1;
            }
            lay.weights[i] = next;
            next = align4k(next + (uint64_t)n);
        }
    }
#endif
    lay.prompt = next;
    lay.output = align4k(lay.prompt + 4u * FORNAX_DESIGN_CONTEXT);
    lay.logits = 0;
    if (lay.output + 4u * (uint64_t)(max_new + 1u) > mem + mem_bytes) {
        fprintf(stderr, "fornax-host: the memory region is too small\n");
        fornax_uio_close(&u);
        return 1;
    }
    rc = fornax_host_generate(&shim, &lay, ids, max_new, ignore_eos, stdout);
    fornax_uio_close(&u);
    return rc;
}
