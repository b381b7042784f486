/*
 * Fornax access shim for Linux UIO and /dev/mem (see fornax_shim_uio.h). POSIX; builds on any
 * Linux (it needs no vendor headers); runs on a Zynq with the kernel in the PL.
 */
#define _POSIX_C_SOURCE 200809L
#include "fornax_shim_uio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FORNAX_REGS_WINDOW 4096u

static uint32_t uio_reg_read(void *ctx, uint32_t off) {
    fornax_uio *u = (fornax_uio *)ctx;
    return u->regs[off / 4u];
}

static void uio_reg_write(void *ctx, uint32_t off, uint32_t v) {
    fornax_uio *u = (fornax_uio *)ctx;
    u->regs[off / 4u] = v;
}

static unsigned char *window(fornax_uio *u, uint64_t addr, size_t n) {
    if (addr < u->mem_phys || addr - u->mem_phys > u->mem_bytes || n > u->mem_bytes - (addr - u->mem_phys)) {
        return NULL;
    }
    return u->mem + (addr - u->mem_phys);
}

static int uio_mem_read(void *ctx, uint64_t addr, void *dst, size_t n) {
    unsigned char *p = window((fornax_uio *)ctx, addr, n);
    if (p == NULL) {
        return -1;
    }
    memcpy(dst, p, n);
    return 0;
}

static int uio_mem_write(void *ctx, uint64_t addr, const void *src, size_t n) {
    unsigned char *p = window((fornax_uio *)ctx, addr, n);
    if (p == NULL) {
        return -1;
    }
    memcpy(p, src, n);
    return 0;
}

/* UIO: writing 1 unmasks the interrupt; a read returns once it fired (the count of interrupts). */
static int uio_wait_irq(void *ctx, uint32_t timeout_ms) {
    fornax_uio *u = (fornax_uio *)ctx;
    uint32_t one = 1, count;
    struct pollfd pfd;
    int r;
    if (write(u->uio_fd, &one, sizeof one) != (ssize_t)sizeof one) {
        return -1;
    }
    pfd.fd = u->uio_fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    r = poll(&pfd, 1, (int)timeout_ms);
    if (r < 0) {
        return -1;
    }
    if (r == 0) {
        return 1;
    }
    return read(u->uio_fd, &count, sizeof count) == (ssize_t)sizeof count ? 0 : -1;
}

int fornax_uio_open(fornax_uio *u, const char *uio, uint64_t regs_phys, const char *mem_dev, uint64_t mem_phys,
                    size_t mem_bytes) {
    void *p;
    memset(u, 0, sizeof *u);
    u->uio_fd = -1;
    u->buf_fd = -1;
    u->mem_fd = -1;
    if (uio == NULL || mem_dev == NULL) {
        u->mem_fd = open("/dev/mem", O_RDWR | O_SYNC);
        if (u->mem_fd < 0) {
            return -errno;
        }
    }
    if (uio != NULL) {
        u->uio_fd = open(uio, O_RDWR);
        if (u->uio_fd < 0) {
            int e = errno;
            fornax_uio_close(u);
            return -e;
        }
        p = mmap(NULL, FORNAX_REGS_WINDOW, PROT_READ | PROT_WRITE, MAP_SHARED, u->uio_fd, 0);   /* map0 */
    } else {
        p = mmap(NULL, FORNAX_REGS_WINDOW, PROT_READ | PROT_WRITE, MAP_SHARED, u->mem_fd, (off_t)regs_phys);
    }
    if (p == MAP_FAILED) {
        int e = errno;
        fornax_uio_close(u);
        return -e;
    }
    u->regs = (volatile uint32_t *)p;
    if (mem_dev != NULL) {
        /* O_SYNC: u-dma-buf maps the buffer uncached, so the CPU and the HP ports agree on its bytes */
        u->buf_fd = open(mem_dev, O_RDWR | O_SYNC);
        if (u->buf_fd < 0) {
            int e = errno;
            fornax_uio_close(u);
            return -e;
        }
        p = mmap(NULL, mem_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, u->buf_fd, 0);
    } else {
        p = mmap(NULL, mem_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, u->mem_fd, (off_t)mem_phys);
    }
    if (p == MAP_FAILED) {
        int e = errno;
        fornax_uio_close(u);
        return -e;
    }
    u->mem = (unsigned char *)p;
    u->mem_phys = mem_phys;
    u->mem_bytes = mem_bytes;
    return 0;
}

static int read_sysfs(const char *name, const char *attr, unsigned long long *v) {
    char path[256];
    FILE *f;
    int ok;
    snprintf(path, sizeof path, "/sys/class/u-dma-buf/%s/%s", name, attr);
    f = fopen(path, "r");
    if (f == NULL) {
        return -errno;
    }
    ok = fscanf(f, "%llx", v) == 1;
    fclose(f);
    return ok ? 0 : -EINVAL;
}

int fornax_udmabuf_info(const char *name, uint64_t *phys, size_t *bytes) {
    unsigned long long a = 0, n = 0;
    int rc = read_sysfs(name, "phys_addr", &a);
    if (rc == 0) {
        char path[256];
        FILE *f;
        snprintf(path, sizeof path, "/sys/class/u-dma-buf/%s/size", name);
        f = fopen(path, "r");
        if (f == NULL) {
            return -errno;
        }
        rc = fscanf(f, "%llu", &n) == 1 ? 0 : -EINVAL;
        fclose(f);
    }
    *phys = (uint64_t)a;
    *bytes = (size_t)n;
    return rc;
}

void fornax_uio_close(fornax_uio *u) {
    if (u->mem != NULL) {
        munmap(u->mem, u->mem_bytes);
    }
    if (u->regs != NULL) {
        munmap((void *)u->regs, FORNAX_REGS_WINDOW);
    }
    if (u->uio_fd >= 0) {
        close(u->uio_fd);
    }
    if (u->buf_fd >= 0) {
        close(u->buf_fd);
    }
    if (u->mem_fd >= 0) {
        close(u->mem_fd);
    }
    memset(u, 0, sizeof *u);
    u->uio_fd = -1;
    u->buf_fd = -1;
    u->mem_fd = -1;
}

fornax_shim fornax_uio_shim(fornax_uio *u) {
    fornax_shim s;
    s.ctx = u;
    s.reg_read = uio_reg_read;
    s.reg_write = uio_reg_write;
    s.mem_read = uio_mem_read;
    s.mem_write = uio_mem_write;
    s.wait_irq = u->uio_fd >= 0 ? uio_wait_irq : NULL;
    return s;
}
