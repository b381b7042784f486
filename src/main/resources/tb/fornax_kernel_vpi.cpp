// Fornax kernel harness for Icarus Verilog: a VPI module (copied verbatim by dev.fornax.sim; the design
// constants are in fornax_kernel_config.h, the kernel's ports in the generated tb/fornax_kernel_tb.v).
// It runs the same bench as the Verilator front end (fornax_kernel_bench.h): the testbench calls
// $fxk_drive, $fxk_sample and $fxk_edge once per cycle, and the host driver runs on a thread of its
// own that waits whenever it needs the simulation to advance, so the two alternate strictly and the
// cycle counts equal the Verilator harness's. Arguments: the same as the Verilator harness, given to
// vvp after the .vvp file.
#include "fornax_kernel_config.h"
#include "fornax_kernel_bench.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <vpi_user.h>

namespace {

// One signal of the testbench: a reg the bench drives or a wire it samples.
struct Pin {
    vpiHandle h = nullptr;
    int width = 0;
};

Pin pin(const std::string& name) {
    std::string full = "fornax_kernel_tb." + name;
    vpiHandle h = vpi_handle_by_name(const_cast<char*>(full.c_str()), nullptr);
    if (h == nullptr) fxk::fail(fxk::USAGE, "the testbench has no signal " + name);
    return Pin{h, vpi_get(vpiSize, h)};
}

void put(const Pin& p, uint64_t v) {
    s_vpi_vecval vec[2];
    vec[0].aval = static_cast<PLI_INT32>(v & 0xFFFFFFFFu);
    vec[0].bval = 0;
    vec[1].aval = static_cast<PLI_INT32>(v >> 32);
    vec[1].bval = 0;
    s_vpi_value val;
    val.format = vpiVectorVal;
    val.value.vector = vec;
    vpi_put_value(p.h, &val, nullptr, vpiNoDelay);
}

void putBytes(const Pin& p, const uint8_t* b, uint32_t n) {
    std::vector<s_vpi_vecval> vec((p.width + 31) / 32);
    for (size_t w = 0; w < vec.size(); w++) {
        uint32_t v = 0;
        if (4 * w < n) std::memcpy(&v, b + 4 * w, 4);
        vec[w].aval = static_cast<PLI_INT32>(v);
        vec[w].bval = 0;
    }
    s_vpi_value val;
    val.format = vpiVectorVal;
    val.value.vector = vec.data();
    vpi_put_value(p.h, &val, nullptr, vpiNoDelay);
}

// x and z read as 0 (the design drives every output from reset on)
uint64_t get(const Pin& p) {
    s_vpi_value val;
    val.format = vpiVectorVal;
    vpi_get_value(p.h, &val);
    uint64_t lo = static_cast<uint32_t>(val.value.vector[0].aval & ~val.value.vector[0].bval);
    uint64_t hi = p.width > 32 ? static_cast<uint32_t>(val.value.vector[1].aval & ~val.value.vector[1].bval) : 0;
    return lo | (hi << 32);
}

void getBytes(const Pin& p, uint8_t* b, uint32_t n) {
    s_vpi_value val;
    val.format = vpiVectorVal;
    vpi_get_value(p.h, &val);
    for (uint32_t w = 0; 4 * w < n; w++) {
        uint32_t v = static_cast<uint32_t>(val.value.vector[w].aval & ~val.value.vector[w].bval);
        std::memcpy(b + 4 * w, &v, 4);
    }
}

struct ReadPins { Pin araddr, arlen, arsize, arburst, arlock, arcache, arprot, arqos, arvalid, arready, rdata, rresp, rlast, rvalid, rready, rid, arid; bool hasId; };
struct WritePins { Pin awaddr, awlen, awsize, awburst, awvalid, awready, wdata, wstrb, wlast, wvalid, wready, bresp, bvalid, bready; };

ReadPins readPins(const std::string& p, bool ids) {
    ReadPins r{pin(p + "araddr"), pin(p + "arlen"), pin(p + "arsize"), pin(p + "arburst"), pin(p + "arlock"),
               pin(p + "arcache"), pin(p + "arprot"), pin(p + "arqos"), pin(p + "arvalid"), pin(p + "arready"),
               pin(p + "rdata"), pin(p + "rresp"), pin(p + "rlast"), pin(p + "rvalid"), pin(p + "rready"), Pin{}, Pin{}, ids};
    if (ids) {
        r.rid = pin(p + "rid");
        r.arid = pin(p + "arid");
    }
    return r;
}

WritePins writePins(const std::string& p) {
    return WritePins{pin(p + "awaddr"), pin(p + "awlen"), pin(p + "awsize"), pin(p + "awburst"), pin(p + "awvalid"),
                     pin(p + "awready"), pin(p + "wdata"), pin(p + "wstrb"), pin(p + "wlast"), pin(p + "wvalid"),
                     pin(p + "wready"), pin(p + "bresp"), pin(p + "bvalid"), pin(p + "bready")};
}

void driveR(const ReadPins& p, const fxk::ReadChannel& s) {
    put(p.arready, s.arready);
    put(p.rvalid, s.rvalid);
    put(p.rlast, s.rlast);
    put(p.rresp, s.rresp);
    putBytes(p.rdata, s.rdata.data(), s.bytes);
    if (p.hasId) put(p.rid, 0);
}

void sampleR(const ReadPins& p, fxk::ReadChannel& s) {
    fxaxi::ArIn& in = s.in;
    in.araddr = get(p.araddr);
    in.arlen = static_cast<uint32_t>(get(p.arlen));
    in.arsize = static_cast<uint32_t>(get(p.arsize));
    in.arburst = static_cast<uint32_t>(get(p.arburst));
    in.arlock = static_cast<uint32_t>(get(p.arlock));
    in.arcache = static_cast<uint32_t>(get(p.arcache));
    in.arprot = static_cast<uint32_t>(get(p.arprot));
    in.arqos = static_cast<uint32_t>(get(p.arqos));
    in.arid = p.hasId ? static_cast<uint32_t>(get(p.arid)) : 0;
    in.arvalid = get(p.arvalid) != 0;
    in.rready = get(p.rready) != 0;
}

void driveW(const WritePins& p, const fxk::WriteSlave& s) {
    put(p.awready, s.awready);
    put(p.wready, s.wready);
    put(p.bvalid, s.bvalid);
    put(p.bresp, s.bresp);
}

void sampleW(const WritePins& p, fxk::WriteSlave& s) {
    s.awaddr = get(p.awaddr);
    s.awlen = static_cast<uint32_t>(get(p.awlen));
    s.awsize = static_cast<uint32_t>(get(p.awsize));
    s.awburst = static_cast<uint32_t>(get(p.awburst));
    s.awvalid = get(p.awvalid) != 0;
    getBytes(p.wdata, s.wdata.data(), s.bytes);
    s.wstrb = get(p.wstrb);
    s.wlast = get(p.wlast) != 0;
    s.wvalid = get(p.wvalid) != 0;
    s.bready = get(p.bready) != 0;
}

// The simulation and the host thread take turns: the host runs until it needs a cycle (step), the
// simulator runs one cycle, and so on.
struct Harness {
    std::unique_ptr<fxk::Bench> bench;
    Pin clk, rstN, irq;
    Pin awaddr, awvalid, awready, wdata, wstrb, wvalid, wready, bresp, bvalid, bready, araddr, arvalid, arready,
        rdata, rresp, rvalid, rready;
    ReadPins ioR;
    WritePins ioW;
    std::vector<ReadPins> wports;
    std::thread host;
    std::mutex m;
    std::condition_variable cv;
    bool simTurn = false, hostDone = false, aborted = false;
    uint32_t status = fxk::OK;
    std::string error;
    fxk::Failure failure{fxk::OK, ""};

    // host thread: hand one cycle to the simulator and wait for it
    void step() {
        std::unique_lock<std::mutex> l(m);
        simTurn = true;
        cv.notify_all();
        cv.wait(l, [&] { return !simTurn; });
        if (aborted) throw failure;
    }

    // simulator: wait until the host wants a cycle (true) or has finished (false)
    bool awaitHost() {
        std::unique_lock<std::mutex> l(m);
        cv.wait(l, [&] { return simTurn || hostDone; });
        return simTurn;
    }

    void cycleDone() {
        std::lock_guard<std::mutex> l(m);
        simTurn = false;
        cv.notify_all();
    }

    void abort(const fxk::Failure& f) {
        std::lock_guard<std::mutex> l(m);
        aborted = true;
        failure = f;
        simTurn = false;
        cv.notify_all();
    }
};

Harness* H = nullptr;

PLI_INT32 fxkInit(PLI_BYTE8*) {
    s_vpi_vlog_info info;
    vpi_get_vlog_info(&info);
    // the harness's own arguments follow the .vvp file
    std::vector<char*> args{const_cast<char*>("fornax_kernel_vpi")};
    bool after = false;
    for (int i = 0; i < info.argc; i++) {
        std::string a = info.argv[i];
        if (after) args.push_back(info.argv[i]);
        if (!after && a.size() > 4 && a.compare(a.size() - 4, 4, ".vvp") == 0) after = true;
    }
    fxk::Options opt = fxk::parseArgs(static_cast<int>(args.size()), args.data(), FORNAX_K_VOCAB);
    H = new Harness;
    H->bench.reset(new fxk::Bench(opt, FORNAX_K_VOCAB, FORNAX_K_WEIGHT_PORTS, FORNAX_K_WEIGHT_BYTES, FORNAX_K_AXI_MAX_BURST));
    H->clk = pin("ap_clk");
    H->rstN = pin("ap_rst_n");
    H->irq = pin("interrupt");
    const std::string c = "s_axi_control_";
    H->awaddr = pin(c + "awaddr"); H->awvalid = pin(c + "awvalid"); H->awready = pin(c + "awready");
    H->wdata = pin(c + "wdata"); H->wstrb = pin(c + "wstrb"); H->wvalid = pin(c + "wvalid"); H->wready = pin(c + "wready");
    H->bresp = pin(c + "bresp"); H->bvalid = pin(c + "bvalid"); H->bready = pin(c + "bready");
    H->araddr = pin(c + "araddr"); H->arvalid = pin(c + "arvalid"); H->arready = pin(c + "arready");
    H->rdata = pin(c + "rdata"); H->rresp = pin(c + "rresp"); H->rvalid = pin(c + "rvalid"); H->rready = pin(c + "rready");
    H->ioR = readPins("m_axi_io_", false);
    H->ioW = writePins("m_axi_io_");
    for (uint32_t i = 0; i < FORNAX_K_WEIGHT_PORTS; i++) H->wports.push_back(readPins("m_axi_w" + std::to_string(i) + "_", true));
    H->bench->step = [] { H->step(); };
    H->host = std::thread([] {
        std::string err;
        uint32_t st = fxk::hostMain(*H->bench, FORNAX_K_DESIGN_ID, FORNAX_K_CONTEXT, err);
        std::lock_guard<std::mutex> l(H->m);
        H->status = st;
        H->error = err;
        H->hostDone = true;
        H->cv.notify_all();
    });
    return 0;
}

PLI_INT32 fxkDrive(PLI_BYTE8*) {
    fxk::Bench& b = *H->bench;
    if (H->hostDone || !H->awaitHost()) return 0;
    b.drive();
    put(H->rstN, b.rstN);
    put(H->awaddr, b.lite.awaddr); put(H->awvalid, b.lite.awvalid); put(H->wdata, b.lite.wdata);
    put(H->wstrb, b.lite.wstrb); put(H->wvalid, b.lite.wvalid); put(H->bready, b.lite.bready);
    put(H->araddr, b.lite.araddr); put(H->arvalid, b.lite.arvalid); put(H->rready, b.lite.rready);
    driveR(H->ioR, b.ioR);
    driveW(H->ioW, b.ioW);
    for (size_t i = 0; i < H->wports.size(); i++) driveR(H->wports[i], b.wports[i]);
    return 0;
}

PLI_INT32 fxkSample(PLI_BYTE8*) {
    fxk::Bench& b = *H->bench;
    if (H->hostDone) return 0;
    b.lite.awready = get(H->awready) != 0; b.lite.wready = get(H->wready) != 0; b.lite.bvalid = get(H->bvalid) != 0;
    b.lite.bresp = static_cast<uint32_t>(get(H->bresp)); b.lite.arready = get(H->arready) != 0;
    b.lite.rvalid = get(H->rvalid) != 0; b.lite.rresp = static_cast<uint32_t>(get(H->rresp));
    b.lite.rdata = static_cast<uint32_t>(get(H->rdata));
    b.irqPin = get(H->irq) != 0;
    sampleR(H->ioR, b.ioR);
    sampleW(H->ioW, b.ioW);
    for (size_t i = 0; i < H->wports.size(); i++) sampleR(H->wports[i], b.wports[i]);
    try {
        b.sample();
    } catch (const fxk::Failure& f) {
        H->abort(f);
    }
    return 0;
}

// returns 1 once the host program has finished (the testbench then ends the simulation)
PLI_INT32 fxkEdge(PLI_BYTE8*) {
    fxk::Bench& b = *H->bench;
    int done = 0;
    if (!H->hostDone && !H->aborted) {
        try {
            b.edge();
            H->cycleDone();
        } catch (const fxk::Failure& f) {
            H->abort(f);
        }
    } else if (H->aborted) {
        H->cycleDone();
    }
    {
        std::unique_lock<std::mutex> l(H->m);
        H->cv.wait(l, [&] { return H->simTurn || H->hostDone; });
        if (H->aborted && H->simTurn) {
            H->simTurn = false;
            H->cv.notify_all();
        }
        done = H->hostDone ? 1 : 0;
    }
    if (done) {
        H->host.join();
        if (H->status != fxk::OK) {
            std::fprintf(stderr, "fornax-sim: error: %s (cycle %llu)\n", H->error.c_str(),
                         static_cast<unsigned long long>(b.cyc));
        } else {
            std::fprintf(stderr, "fornax-sim: done, %llu cycles\n", static_cast<unsigned long long>(b.cyc));
        }
    }
    s_vpi_value val;
    val.format = vpiIntVal;
    val.value.integer = done;
    vpiHandle call = vpi_handle(vpiSysTfCall, nullptr);
    vpi_put_value(call, &val, nullptr, vpiNoDelay);
    return 0;
}

PLI_INT32 sizeOne(PLI_BYTE8*) { return 32; }

void registerAll() {
    s_vpi_systf_data tf;
    std::memset(&tf, 0, sizeof tf);
    tf.type = vpiSysTask;
    tf.tfname = const_cast<char*>("$fxk_init");
    tf.calltf = fxkInit;
    vpi_register_systf(&tf);
    tf.tfname = const_cast<char*>("$fxk_drive");
    tf.calltf = fxkDrive;
    vpi_register_systf(&tf);
    tf.tfname = const_cast<char*>("$fxk_sample");
    tf.calltf = fxkSample;
    vpi_register_systf(&tf);
    tf.type = vpiSysFunc;
    tf.sysfunctype = vpiIntFunc;
    tf.tfname = const_cast<char*>("$fxk_edge");
    tf.calltf = fxkEdge;
    tf.sizetf = sizeOne;
    vpi_register_systf(&tf);
}

}  // namespace

extern "C" {
void (*vlog_startup_routines[])() = {registerAll, nullptr};
}
