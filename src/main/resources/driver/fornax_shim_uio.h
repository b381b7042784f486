/*
 * Fornax access shim for Linux on Zynq UltraScale+ (KV260, ZCU104): the kernel's registers through
 * a UIO device (/dev/uioN, which also delivers the interrupt) or /dev/mem, and device memory through
 * a physically contiguous DDR buffer: a u-dma-buf device (/dev/udmabufN, a CMA buffer; works with
 * the kernel's STRICT_DEVMEM) or /dev/mem over a region reserved at boot. On Zynq the HP ports see
 * DDR at its physical address, so device address = physical address. docs/HARDWARE.md, "Put it on a
 * KV260".
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
    int mem_fd;                  /* /dev/mem, for the registers without UIO or the memory without u-dma-buf */
    int buf_fd;                  /* /dev/udmabufN, or -1 */
    volatile uint32_t *regs;     /* the 4 KB s_axi_control window */
    unsigned char *mem;          /* the reserved DDR region, mapped uncached (O_SYNC) */
    uint64_t mem_phys;
    size_t mem_bytes;
} fornax_uio;

/* uio: "/dev/uio0", or NULL to map the registers from /dev/mem at regs_phys (the address the block
   design gave s_axi_control). mem_dev: "/dev/udmabuf0" (mapped from offset 0; mem_phys is its
   physical address, /sys/class/u-dma-buf/udmabuf0/phys_addr), or NULL for /dev/mem at mem_phys.
   Returns 0 or -errno. */
int fornax_uio_open(fornax_uio *u, const char *uio, uint64_t regs_phys, const char *mem_dev, uint64_t mem_phys,
                    size_t mem_bytes);

/* A u-dma-buf device's physical address and size from sysfs (name: "udmabuf0"); 0 or -errno. */
int fornax_udmabuf_info(const char *name, uint64_t *phys, size_t *bytes);
void fornax_uio_close(fornax_uio *u);
/* The four accessors (plus wait_irq when a UIO device is open). */
fornax_shim fornax_uio_shim(fornax_uio *u);

#ifdef __cplusplus
}
#endif
#endif
