// Fornax access shim for Alveo cards through XRT (the native C++ API, XRT 2.12 or later): the
// kernel's registers with xrt::kernel::read_register / write_register (the compute unit opened for
// exclusive access), device memory as xrt::bo buffers allocated in the memory bank each kernel
// argument is connected to (vitis/connectivity.cfg). Needs the XRT headers and libxrt_coreutil;
// it is shipped as source (docs/HARDWARE.md, "Put it on a U280").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>

#include "fornax_driver.h"

class FornaxXrt {
public:
    // Opens card `device_index`, loads the xclbin and opens the compute unit for register access.
    FornaxXrt(unsigned device_index, const std::string& xclbin, const std::string& kernel = "fornax_kernel");

    // A buffer of `bytes` in the bank of kernel argument `arg` (its index in kernel.xml, fornax_design.h
    // FORNAX_ARG_*); returns its device address, for fornax_layout.
    uint64_t alloc(int arg, size_t bytes);

    // The four accessors for the driver (no wait_irq: the driver polls AP_CTRL).
    fornax_shim shim();

private:
    xrt::bo* find(uint64_t addr, size_t n, size_t* offset);
    static uint32_t regRead(void* ctx, uint32_t off);
    static void regWrite(void* ctx, uint32_t off, uint32_t v);
    static int memRead(void* ctx, uint64_t addr, void* dst, size_t n);
    static int memWrite(void* ctx, uint64_t addr, const void* src, size_t n);

    xrt::device device_;
    xrt::uuid uuid_;
    xrt::kernel kernel_;
    std::vector<xrt::bo> bos_;
};
