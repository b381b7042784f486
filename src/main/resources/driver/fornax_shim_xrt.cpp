// Fornax access shim for XRT (see fornax_shim_xrt.hpp).
#include "fornax_shim_xrt.hpp"

#include <stdexcept>

FornaxXrt::FornaxXrt(unsigned device_index, const std::string& xclbin, const std::string& kernel)
    : device_(device_index), uuid_(device_.load_xclbin(xclbin)),
      kernel_(device_, uuid_, kernel, xrt::kernel::cu_access_mode::exclusive) {}

uint64_t FornaxXrt::alloc(int arg, size_t bytes) {
    // 4 KB multiples keep every region 4 KB aligned (XRT aligns buffers to at least 4 KB)
    size_t size = (bytes + 4095) / 4096 * 4096;
    bos_.emplace_back(device_, size, xrt::bo::flags::normal, kernel_.group_id(arg));
    return bos_.back().address();
}

xrt::bo* FornaxXrt::find(uint64_t addr, size_t n, size_t* offset) {
    for (xrt::bo& bo : bos_) {
        uint64_t base = bo.address();
        if (addr >= base && addr + n <= base + bo.size()) {
            *offset = static_cast<size_t>(addr - base);
            return &bo;
        }
    }
    return nullptr;
}

uint32_t FornaxXrt::regRead(void* ctx, uint32_t off) {
    return static_cast<FornaxXrt*>(ctx)->kernel_.read_register(off);
}

void FornaxXrt::regWrite(void* ctx, uint32_t off, uint32_t v) {
    static_cast<FornaxXrt*>(ctx)->kernel_.write_register(off, v);
}

int FornaxXrt::memRead(void* ctx, uint64_t addr, void* dst, size_t n) {
    size_t off = 0;
    xrt::bo* bo = static_cast<FornaxXrt*>(ctx)->find(addr, n, &off);
    if (bo == nullptr) return -1;
    bo->sync(XCL_BO_SYNC_BO_FROM_DEVICE, n, off);
    bo->read(dst, n, off);
    return 0;
}

int FornaxXrt::memWrite(void* ctx, uint64_t addr, const void* src, size_t n) {
    size_t off = 0;
    xrt::bo* bo = static_cast<FornaxXrt*>(ctx)->find(addr, n, &off);
    if (bo == nullptr) return -1;
    bo->write(src, n, off);
    bo->sync(XCL_BO_SYNC_BO_TO_DEVICE, n, off);
    return 0;
}

fornax_shim FornaxXrt::shim() {
    fornax_shim s;
    s.ctx = this;
    s.reg_read = &FornaxXrt::regRead;
    s.reg_write = &FornaxXrt::regWrite;
    s.mem_read = &FornaxXrt::memRead;
    s.mem_write = &FornaxXrt::memWrite;
    s.wait_irq = nullptr;
    return s;
}
