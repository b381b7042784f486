// Fornax kernel harness for Verilator (copied verbatim by dev.fornax.sim.TestbenchWriter; design
// constants in fornax_kernel_config.h). It simulates fornax_kernel with the memory model and the
// AXI4-Lite master of fornax_kernel_bench.h, and runs the host driver (driver/fornax_driver.c,
// linked in unchanged) on the simulation shim. docs/SIMULATION.md, "Kernel harness".
#include "Vfornax_kdut.h"
#include "fornax_kernel_config.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

#include "fornax_kernel_bench.h"

namespace {

// Verilator holds <= 64-bit signals in integers, wider ones in VlWide words.
template <class T> void setBytes(T& sig, const uint8_t* p, uint32_t n) {
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    sig = static_cast<T>(v);
}
template <std::size_t N> void setBytes(VlWide<N>& sig, const uint8_t* p, uint32_t n) {
    for (std::size_t w = 0; w < N && 4 * w < n; w++) {
        uint32_t v;
        std::memcpy(&v, p + 4 * w, 4);
        sig[w] = v;
    }
}
template <class T> void getBytes(const T& sig, uint8_t* p, uint32_t n) {
    uint64_t v = static_cast<uint64_t>(sig);
    std::memcpy(p, &v, n);
}
template <std::size_t N> void getBytes(const VlWide<N>& sig, uint8_t* p, uint32_t n) {
    for (std::size_t w = 0; w < N && 4 * w < n; w++) {
        uint32_t v = sig[w];
        std::memcpy(p + 4 * w, &v, 4);
    }
}

// Verilator renames a port called `interrupt` (a C++ common word) in some versions: take either.
template <class T> auto irqOf(T* t, int) -> decltype(static_cast<bool>(t->__SYM__interrupt)) { return t->__SYM__interrupt; }
template <class T> auto irqOf(T* t, long) -> decltype(static_cast<bool>(t->interrupt)) { return t->interrupt; }

}  // namespace

#define FXK_DRIVE_R(P, s)                                  \
    do {                                                   \
        top->P##_arready = (s).arready;                    \
        top->P##_rvalid = (s).rvalid;                      \
        top->P##_rlast = (s).rlast;                        \
        top->P##_rresp = (s).rresp;                        \
        setBytes(top->P##_rdata, (s).rdata.data(), (s).bytes); \
    } while (0)
#define FXK_SAMPLE_R(P, s)                                 \
    do {                                                   \
        (s).in.araddr = top->P##_araddr;                   \
        (s).in.arlen = top->P##_arlen;                     \
        (s).in.arsize = top->P##_arsize;                   \
        (s).in.arburst = top->P##_arburst;                 \
        (s).in.arlock = top->P##_arlock;                   \
        (s).in.arcache = top->P##_arcache;                 \
        (s).in.arprot = top->P##_arprot;                   \
        (s).in.arqos = top->P##_arqos;                     \
        (s).in.arvalid = top->P##_arvalid;                 \
        (s).in.rready = top->P##_rready;                   \
    } while (0)
#define FXK_DRIVE_W(P, s)                                  \
    do {                                                   \
        top->P##_awready = (s).awready;                    \
        top->P##_wready = (s).wready;                      \
        top->P##_bvalid = (s).bvalid;                      \
        top->P##_bresp = (s).bresp;                        \
    } while (0)
#define FXK_SAMPLE_W(P, s)                                 \
    do {                                                   \
        (s).awaddr = top->P##_awaddr;                      \
        (s).awlen = top->P##_awlen;                        \
        (s).awsize = top->P##_awsize;                      \
        (s).awburst = top->P##_awburst;                    \
        (s).awvalid = top->P##_awvalid;                    \
        getBytes(top->P##_wdata, (s).wdata.data(), (s).bytes); \
        (s).wstrb = top->P##_wstrb;                        \
        (s).wlast = top->P##_wlast;                        \
        (s).wvalid = top->P##_wvalid;                      \
        (s).bready = top->P##_bready;                      \
    } while (0)
#define FXK_DRIVE_WPORT(i, P)                              \
    FXK_DRIVE_R(P, bench.wports[i]);                       \
    top->P##_rid = 0;
#define FXK_SAMPLE_WPORT(i, P)                             \
    FXK_SAMPLE_R(P, bench.wports[i]);                      \
    bench.wports[i].in.arid = top->P##_arid;

int main(int argc, char** argv) {
    fxk::Options opt = fxk::parseArgs(argc, argv, FORNAX_K_VOCAB);
    VerilatedContext* ctx = new VerilatedContext;
    ctx->commandArgs(argc, argv);
    Vfornax_kdut* top = new Vfornax_kdut{ctx};
#if VM_TRACE
    VerilatedVcdC* vcd = nullptr;
    if (!opt.wave.empty()) {
        ctx->traceEverOn(true);
        vcd = new VerilatedVcdC;
        top->trace(vcd, 99);
        vcd->open(opt.wave.c_str());
    }
#else
    if (!opt.wave.empty()) fxk::usage("--wave needs a model built with --trace");
#endif
    fxk::Bench bench(opt, FORNAX_K_VOCAB, FORNAX_K_WEIGHT_PORTS, FORNAX_K_WEIGHT_BYTES, FORNAX_K_AXI_MAX_BURST);
    bench.step = [&]() {
        bench.drive();
        top->ap_rst_n = bench.rstN;
        top->s_axi_control_awaddr = bench.lite.awaddr;
        top->s_axi_control_awvalid = bench.lite.awvalid;
        top->s_axi_control_wdata = bench.lite.wdata;
        top->s_axi_control_wstrb = bench.lite.wstrb;
        top->s_axi_control_wvalid = bench.lite.wvalid;
        top->s_axi_control_bready = bench.lite.bready;
        top->s_axi_control_araddr = bench.lite.araddr;
        top->s_axi_control_arvalid = bench.lite.arvalid;
        top->s_axi_control_rready = bench.lite.rready;
        FXK_DRIVE_R(m_axi_io, bench.ioR);
        FXK_DRIVE_W(m_axi_io, bench.ioW);
        FORNAX_K_FOR_EACH_WPORT(FXK_DRIVE_WPORT)
        top->ap_clk = 0;
        top->eval();
#if VM_TRACE
        if (vcd) vcd->dump(2 * bench.cyc);
#endif
        bench.lite.awready = top->s_axi_control_awready;
        bench.lite.wready = top->s_axi_control_wready;
        bench.lite.bvalid = top->s_axi_control_bvalid;
        bench.lite.bresp = top->s_axi_control_bresp;
        bench.lite.arready = top->s_axi_control_arready;
        bench.lite.rvalid = top->s_axi_control_rvalid;
        bench.lite.rresp = top->s_axi_control_rresp;
        bench.lite.rdata = top->s_axi_control_rdata;
        bench.irqPin = irqOf(top, 0);
        FXK_SAMPLE_R(m_axi_io, bench.ioR);
        FXK_SAMPLE_W(m_axi_io, bench.ioW);
        FORNAX_K_FOR_EACH_WPORT(FXK_SAMPLE_WPORT)
        bench.sample();
        top->ap_clk = 1;
        top->eval();
#if VM_TRACE
        if (vcd) vcd->dump(2 * bench.cyc + 1);
#endif
        bench.edge();
    };
    std::string error;
    uint32_t status = fxk::hostMain(bench, FORNAX_K_DESIGN_ID, FORNAX_K_CONTEXT, error);
    top->final();
#if VM_TRACE
    if (vcd) vcd->close();
#endif
    if (status != fxk::OK) {
        std::fprintf(stderr, "fornax-sim: error: %s (cycle %llu)\n", error.c_str(), static_cast<unsigned long long>(bench.cyc));
        return 1;
    }
    std::fprintf(stderr, "fornax-sim: done, %llu cycles\n", static_cast<unsigned long long>(bench.cyc));
    return 0;
}
