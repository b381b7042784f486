// Fornax kernel bench: everything the kernel harness does that does not depend on the simulator.
// The kernel's AXI masters see device memory (sparse regions of a 64-bit address space) through
// the harness memory model of the core harness (fornax_axi_model.h: read latency per port,
// outstanding-burst limit, refresh blackouts, bandwidth cap, injected SLVERR, the AXI4 checks) for
// every read channel, and an AXI4 write slave (latency, stalls, injected SLVERR, the same checks)
// for the output buffer; its s_axi_control is driven by an
// AXI4-Lite master whose transactions are the register accesses of the host driver
// (driver/fornax_driver.c), which runs unchanged on top of the simulation shim below.
//
// Per cycle the front end (fornax_kernel_harness.cpp for Verilator, fornax_kernel_vpi.cpp for
// Icarus) calls drive() (the bench's outputs for this cycle), settles the design with the clock
// low, calls sample() with the design's outputs, raises the clock, and calls edge(). Both front
// ends therefore give the same cycle counts. docs/SIMULATION.md ("Kernel harness") has the
// arguments and the output files.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "fornax_axi_model.h"
#include "fornax_driver.h"

namespace fxk {

// ---- failures: stop the run, name the cause ----
enum Status : uint32_t { OK = 0, TIMEOUT = 1, PROTOCOL = 2, OVERFLOW_ = 3, AXI = 4, USAGE = 5, DRIVER = 6 };

struct Failure : std::runtime_error {
    uint32_t status;
    Failure(uint32_t s, const std::string& m) : std::runtime_error(m), status(s) {}
};

[[noreturn]] inline void fail(uint32_t s, const std::string& m) { throw Failure(s, m); }

inline std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

// splitmix64, the generator of the core harness (fornax_harness.cpp)
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
};

// ---- device memory: named regions at 64-bit addresses ----
struct Memory {
    struct Region {
        std::string name;
        uint64_t base;
        std::vector<uint8_t> bytes;
    };
    std::vector<Region> regions;

    void add(const std::string& name, uint64_t base, uint64_t size) {
        for (const Region& r : regions)
            if (base < r.base + r.bytes.size() && r.base < base + size)
                fail(USAGE, "memory region " + name + " overlaps " + r.name);
        regions.push_back(Region{name, base, std::vector<uint8_t>(size, 0)});
    }

    // The bytes [addr, addr + n) when they lie inside one region, else null.
    uint8_t* at(uint64_t addr, uint64_t n) {
        for (Region& r : regions)
            if (addr >= r.base && addr + n <= r.base + r.bytes.size() && addr + n >= addr)
                return r.bytes.data() + (addr - r.base);
        return nullptr;
    }

    const Region* find(uint64_t addr) const {
        for (const Region& r : regions)
            if (addr >= r.base && addr < r.base + r.bytes.size()) return &r;
        return nullptr;
    }
};

// Checks one AXI4 burst: INCR, full-width beats, aligned, inside 4 KB, inside a region.
inline void checkBurst(const std::string& port, Memory& mem, uint64_t addr, uint32_t len, uint32_t size,
                       uint32_t burst, uint32_t bytes) {
    uint32_t log2 = 0;
    while ((1u << log2) < bytes) log2++;
    uint64_t n = static_cast<uint64_t>(len + 1) * bytes;
    if (burst != 1) fail(AXI, port + ": burst type " + std::to_string(burst) + " is not INCR");
    if (size != log2) fail(AXI, port + ": size " + std::to_string(size) + " differs from the data width");
    if (addr % bytes != 0) fail(AXI, port + ": unaligned address " + hex(addr));
    if ((addr >> 12) != ((addr + n - 1) >> 12)) fail(AXI, port + ": burst at " + hex(addr) + " crosses a 4 KB boundary");
    if (mem.at(addr, n) == nullptr)
        fail(AXI, port + ": burst of " + std::to_string(n) + " bytes at " + hex(addr) + " is outside every memory region");
}

// ---- an AXI4 write slave (one port) ----
struct WriteSlave {
    std::string name;
    uint32_t bytes = 4;
    uint64_t latency = 8;         // last W beat -> B response, cycles
    size_t maxOutstanding = 16;
    uint64_t injectBurst = 0;     // 1-based burst number answered with SLVERR
    // design outputs
    uint64_t awaddr = 0;
    uint32_t awlen = 0, awsize = 0, awburst = 0;
    bool awvalid = false, wvalid = false, wlast = false, bready = false;
    std::vector<uint8_t> wdata;
    uint64_t wstrb = 0;
    // bench outputs
    bool awready = false, wready = false, bvalid = false;
    uint32_t bresp = 0;
    // state
    struct Burst { uint64_t addr; uint32_t len; bool slverr; };
    std::deque<Burst> aw;          // accepted, data not complete
    uint32_t beat = 0;
    std::deque<std::pair<uint64_t, uint32_t>> b;   // (ready at, resp)
    uint64_t bursts = 0, beats = 0;
    bool awPending = false, wPending = false;
    uint64_t pAddr = 0, pData = 0;
    uint32_t pCtl = 0;
    bool awFire = false, wFire = false, bFire = false;
    // the last beat written: for observers (the bench's per-position timing)
    uint64_t beatAddr = 0;

    void init() { wdata.assign(bytes, 0); }

    void drive(bool stallAw, bool stallW, bool stallB, uint64_t cyc) {
        awready = !stallAw && aw.size() + b.size() < maxOutstanding;
        wready = !stallW && !aw.empty();
        if (!bvalid && !b.empty() && b.front().first <= cyc) bvalid = !stallB;
        bresp = b.empty() ? 0u : b.front().second;
    }

    void sample(Memory& mem, bool inReset) {
        uint32_t ctl = (awlen << 8) | (awsize << 2) | awburst;
        uint64_t d = 0;
        std::memcpy(&d, wdata.data(), bytes < 8 ? bytes : 8);
        if (awPending && (!awvalid || awaddr != pAddr || ctl != pCtl))
            fail(PROTOCOL, name + ": AW changed while awvalid && !awready");
        if (wPending && (!wvalid || d != pData)) fail(PROTOCOL, name + ": W changed while wvalid && !wready");
        awFire = !inReset && awvalid && awready;
        wFire = !inReset && wvalid && wready;
        bFire = !inReset && bvalid && bready;
        awPending = !inReset && awvalid && !awready;
        wPending = !inReset && wvalid && !wready;
        pAddr = awaddr;
        pCtl = ctl;
        pData = d;
        if (awFire) checkBurst(name, mem, awaddr, awlen, awsize, awburst, bytes);
        if (wFire) {
            const Burst& f = aw.front();
            bool last = beat == f.len;
            if (wlast != last) fail(PROTOCOL, name + ": wlast " + (wlast ? "high" : "low") + " on beat " + std::to_string(beat)
                                                   + " of a " + std::to_string(f.len + 1) + "-beat burst");
            beatAddr = f.addr + static_cast<uint64_t>(beat) * bytes;
            uint8_t* p = mem.at(beatAddr, bytes);
            for (uint32_t i = 0; i < bytes; i++)
                if ((wstrb >> i) & 1u) p[i] = wdata[i];
        }
    }

    void edge(uint64_t cyc) {
        if (awFire) {
            bursts++;
            aw.push_back(Burst{awaddr, awlen, injectBurst == bursts});
        }
        if (wFire) {
            beats++;
            if (beat == aw.front().len) {
                b.emplace_back(cyc + latency, aw.front().slverr ? 2u : 0u);
                aw.pop_front();
                beat = 0;
            } else {
                beat++;
            }
        }
        if (bFire) {
            bvalid = false;
            b.pop_front();
        }
    }
};

// ---- the AXI4-Lite master: one register access at a time ----
struct LiteMaster {
    // bench outputs
    uint32_t awaddr = 0, wdata = 0, wstrb = 0xF, araddr = 0;
    bool awvalid = false, wvalid = false, bready = false, arvalid = false, rready = false;
    // design outputs
    bool awready = false, wready = false, bvalid = false, arready = false, rvalid = false;
    uint32_t bresp = 0, rresp = 0, rdata = 0;
    // the access in progress
    enum Op { NONE, READ, WRITE } op = NONE;
    bool done = false;
    uint32_t result = 0;
    bool awFire = false, wFire = false, bFire = false, arFire = false, rFire = false;
    uint64_t reads = 0, writes = 0;
    bool rvalidSeen = false;       // protocol: rvalid held until rready
    uint32_t pRdata = 0;

    void start(Op o, uint32_t addr, uint32_t data) {
        op = o;
        done = false;
        if (o == WRITE) {
            awaddr = addr;
            wdata = data;
            awvalid = true;
            wvalid = true;
            bready = true;
        } else {
            araddr = addr;
            arvalid = true;
            rready = true;
        }
    }

    void sample(bool inReset) {
        awFire = !inReset && awvalid && awready;
        wFire = !inReset && wvalid && wready;
        bFire = !inReset && bvalid && bready;
        arFire = !inReset && arvalid && arready;
        rFire = !inReset && rvalid && rready;
        if (bFire && bresp != 0) fail(PROTOCOL, "s_axi_control: write response " + std::to_string(bresp) + " at " + hex(awaddr));
        if (rFire && rresp != 0) fail(PROTOCOL, "s_axi_control: read response " + std::to_string(rresp) + " at " + hex(araddr));
        if (rvalidSeen && (!rvalid || rdata != pRdata)) fail(PROTOCOL, "s_axi_control: R changed while rvalid && !rready");
        rvalidSeen = !inReset && rvalid && !rready;
        pRdata = rdata;
    }

    void edge() {
        if (awFire) awvalid = false;
        if (wFire) wvalid = false;
        if (arFire) arvalid = false;
        if (bFire) {
            bready = false;
            done = true;
            op = NONE;
            writes++;
        }
        if (rFire) {
            rready = false;
            result = rdata;
            done = true;
            op = NONE;
            reads++;
        }
    }
};

// ---- the bench ----
struct Options {
    std::vector<std::vector<uint32_t>> sequences;
    uint32_t maxNew = 16;
    std::vector<uint32_t> eos;
    bool ignoreEos = false;
    bool logits = true;
    bool irq = false;
    double stall = 0.0;
    uint64_t seed = 1;
    std::vector<uint64_t> latency{150};   // weight ports: one value, or one per port
    uint64_t blackoutEvery = 0, blackoutCycles = 0;
    uint64_t rateNum = 1, rateDen = 1;
    uint64_t ioLatency = 40;
    uint64_t timeout = 100000000;
    uint64_t injectRresp = 0, injectIoRresp = 0, injectBresp = 0;
    uint64_t weightBase = 0x123456000ULL;
    uint64_t outputOffset = 0;         // bytes added to the output buffer's address (BAD_ARG tests)
    std::vector<std::string> images;   // weight image per port
    std::string out = "results.bin";
    std::string json = "kernel.json";
    std::string mode = "run";          // run | regs | restart
    std::string wave;
};

[[noreturn]] inline void usage(const std::string& why) {
    std::fprintf(stderr, "fornax-sim: error: %s\n", why.c_str());
    std::fprintf(stderr,
                 "usage: fornax kernel harness --tokens 1,2,3[/4,5] [-n N] [--eos 2[,3]] [--ignore-eos] [--no-logits]"
                 " [--irq] [--stall P] [--seed S] [--axi-latency N[,N1,...]] [--axi-blackout EVERY,CYCLES]"
                 " [--axi-rate NUM/DEN] [--io-latency N] [--timeout CYCLES]"
                 " [--inject-rresp N] [--inject-io-rresp N] [--inject-bresp N] [--weight-base ADDR]"
                 " [--output-offset N] [--dram FILE[,FILE...]] [--out FILE] [--json FILE] [--mode run|regs|restart] [--wave FILE]\n");
    std::exit(2);
}

inline uint64_t parseUint(const std::string& s, const char* what) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(s.c_str(), &end, 0);
    if (s.empty() || *end != '\0' || s[0] == '-') usage(std::string("bad number for ") + what + ": '" + s + "'");
    return v;
}

inline std::vector<std::string> split(const std::string& s, char c) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i <= s.size()) {
        size_t j = s.find(c, i);
        if (j == std::string::npos) j = s.size();
        out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

inline Options parseArgs(int argc, char** argv, uint32_t vocab) {
    Options o;
    for (int i = 1; i < argc; i++) {
        std::string k = argv[i];
        if (k.rfind("+verilator", 0) == 0) continue;
        auto val = [&]() -> std::string {
            if (i + 1 >= argc) usage("missing value for " + k);
            return argv[++i];
        };
        if (k == "--tokens") {
            for (const std::string& seq : split(val(), '/')) {
                std::vector<uint32_t> ids;
                for (const std::string& t : split(seq, ',')) ids.push_back(static_cast<uint32_t>(parseUint(t, "--tokens")));
                o.sequences.push_back(ids);
            }
        } else if (k == "-n") o.maxNew = static_cast<uint32_t>(parseUint(val(), "-n"));
        else if (k == "--eos") {
            std::string s = val();
            if (!s.empty())
                for (const std::string& t : split(s, ',')) o.eos.push_back(static_cast<uint32_t>(parseUint(t, "--eos")));
        } else if (k == "--ignore-eos") o.ignoreEos = true;
        else if (k == "--no-logits") o.logits = false;
        else if (k == "--irq") o.irq = true;
        else if (k == "--stall") {
            std::string s = val();
            char* end = nullptr;
            o.stall = std::strtod(s.c_str(), &end);
            if (*end != '\0' || !(o.stall >= 0.0 && o.stall < 1.0)) usage("--stall must be in [0, 1)");
        } else if (k == "--seed") o.seed = parseUint(val(), "--seed");
        else if (k == "--axi-latency") {
            o.latency.clear();
            for (const std::string& t : split(val(), ',')) o.latency.push_back(parseUint(t, "--axi-latency"));
        } else if (k == "--axi-blackout") {
            std::vector<std::string> b = split(val(), ',');
            if (b.size() != 2) usage("--axi-blackout takes EVERY,CYCLES with CYCLES < EVERY");
            o.blackoutEvery = parseUint(b[0], "--axi-blackout");
            o.blackoutCycles = parseUint(b[1], "--axi-blackout");
            if (o.blackoutEvery == 0 || o.blackoutCycles >= o.blackoutEvery) usage("--axi-blackout takes EVERY,CYCLES with CYCLES < EVERY");
        } else if (k == "--axi-rate") {
            std::vector<std::string> r = split(val(), '/');
            if (r.size() != 2) usage("--axi-rate takes NUM/DEN beats per cycle, e.g. 3/5");
            o.rateNum = parseUint(r[0], "--axi-rate");
            o.rateDen = parseUint(r[1], "--axi-rate");
            if (o.rateNum == 0 || o.rateDen == 0 || o.rateNum > o.rateDen || o.rateDen > 1000000)
                usage("--axi-rate NUM/DEN needs 0 < NUM <= DEN <= 1000000");
        } else if (k == "--io-latency") o.ioLatency = parseUint(val(), "--io-latency");
        else if (k == "--timeout") o.timeout = parseUint(val(), "--timeout");
        else if (k == "--inject-rresp") o.injectRresp = parseUint(val(), "--inject-rresp");
        else if (k == "--inject-io-rresp") o.injectIoRresp = parseUint(val(), "--inject-io-rresp");
        else if (k == "--inject-bresp") o.injectBresp = parseUint(val(), "--inject-bresp");
        else if (k == "--weight-base") {
            o.weightBase = parseUint(val(), "--weight-base");
            if (o.weightBase % 4096 != 0) usage("--weight-base must be a multiple of 4096");
        } else if (k == "--output-offset") o.outputOffset = parseUint(val(), "--output-offset");
        else if (k == "--dram") o.images = split(val(), ',');
        else if (k == "--out") o.out = val();
        else if (k == "--json") o.json = val();
        else if (k == "--mode") {
            o.mode = val();
            if (o.mode != "run" && o.mode != "regs" && o.mode != "restart") usage("--mode must be run, regs or restart");
        } else if (k == "--wave") o.wave = val();
        else usage("unknown argument " + k);
    }
    if (o.mode != "regs" && o.sequences.empty()) usage("--tokens is required");
    for (const auto& s : o.sequences) {
        if (s.empty()) usage("empty sequence in --tokens");
        for (uint32_t t : s) (void)t;  // ids >= VOCAB are the kernel's to refuse (ERROR.BAD_TOKEN)
    }
    (void)vocab;
    if (o.eos.size() > FORNAX_REGS_EOS_SLOTS) usage("at most " + std::to_string(FORNAX_REGS_EOS_SLOTS) + " --eos ids");
    return o;
}

inline void put32(FILE* f, uint32_t v) { std::fwrite(&v, 4, 1, f); }  // the harness assumes a little-endian host
inline void put64(FILE* f, uint64_t v) { std::fwrite(&v, 8, 1, f); }

// One run of the kernel, as the driver reported it.
struct RunRecord {
    int rc;
    fornax_result res;
    std::vector<uint32_t> tokens;
    uint64_t startCycle, endCycle;
};

// One read channel of the kernel as the front ends see it: port `index` of a memory model, the
// design's outputs sampled into `in`, and the inputs the model drives this cycle.
struct ReadChannel {
    fxaxi::Model* model = nullptr;
    size_t index = 0;
    uint32_t bytes = 4;
    fxaxi::ArIn in;
    bool arready = false, rvalid = false, rlast = false;
    uint32_t rresp = 0;
    std::vector<uint8_t> rdata;

    fxaxi::Port& port() { return model->ports[index]; }

    void present() {
        const fxaxi::Port& p = model->ports[index];
        arready = p.arReady;
        rvalid = p.rvalid;
        rlast = p.rlast();
        rresp = p.rresp();
        const uint8_t* d = p.rdata(bytes);
        if (d != nullptr) std::memcpy(rdata.data(), d, bytes);
        else std::fill(rdata.begin(), rdata.end(), 0);
    }
};

struct Bench {
    Options opt;
    uint32_t vocab, weightPorts, weightBytes;
    Memory mem;
    // the harness memory model (fornax_axi_model.h): the weight ports, and the read side of m_axi_io
    fxaxi::Model wmem, iomem;
    std::vector<ReadChannel> wports;
    ReadChannel ioR;
    WriteSlave ioW;
    LiteMaster lite;
    Rng rng{1};
    uint64_t thr = 0;
    uint64_t cyc = 0, lastProgress = 0;
    bool rstN = false, irqPin = false;
    static constexpr uint64_t RESET_CYCLES = 8;
    // per-position observation (rows of the logits region written)
    uint64_t logitsBase = 0, logitsBytes = 0;
    std::vector<uint64_t> rowDone;      // cycle the last logit of row p was written
    std::vector<uint64_t> rowBeats;     // weight R beats by then
    uint64_t weightBeats = 0;
    // the front end's clock: runs one cycle (Verilator) or hands over to the simulator (Icarus)
    std::function<void()> step;

    Bench(const Options& o, uint32_t vocab_, uint32_t ports, uint32_t bytes, uint32_t maxBurst)
        : opt(o), vocab(vocab_), weightPorts(ports), weightBytes(bytes) {
        rng.s = opt.seed;
        thr = static_cast<uint64_t>(opt.stall * 4294967296.0);
        if (opt.latency.size() != 1 && opt.latency.size() != weightPorts)
            usage("--axi-latency takes one value or one per weight port (" + std::to_string(weightPorts) + ")");
        wmem.cfg.beatBytes = weightBytes;
        wmem.cfg.maxBurst = maxBurst;
        wmem.cfg.blackoutEvery = opt.blackoutEvery;
        wmem.cfg.blackoutCycles = opt.blackoutCycles;
        wmem.cfg.rateNum = opt.rateNum;
        wmem.cfg.rateDen = opt.rateDen;
        wmem.cfg.injectRresp = opt.injectRresp;
        for (uint32_t i = 0; i < weightPorts; i++) {
            fxaxi::Port p;
            p.name = "m_axi_w" + std::to_string(i) + "_";
            p.latency = opt.latency.size() == 1 ? opt.latency[0] : opt.latency[i];
            wmem.ports.push_back(p);
        }
        wmem.init();
        // the prompt reads: the same model, its own latency, no blackouts or bandwidth cap
        iomem.cfg.beatBytes = 4;
        iomem.cfg.injectRresp = opt.injectIoRresp;
        fxaxi::Port io;
        io.name = "m_axi_io_";
        io.latency = opt.ioLatency;
        iomem.ports.push_back(io);
        iomem.init();
        for (uint32_t i = 0; i < weightPorts; i++) wports.push_back(channel(&wmem, i, weightBytes));
        ioR = channel(&iomem, 0, 4);
        ioW.name = "m_axi_io (write)";
        ioW.latency = opt.ioLatency;
        ioW.injectBurst = opt.injectBresp;
        ioW.init();
    }

    static ReadChannel channel(fxaxi::Model* m, size_t i, uint32_t bytes) {
        ReadChannel c;
        c.model = m;
        c.index = i;
        c.bytes = bytes;
        c.rdata.assign(bytes, 0);
        return c;
    }

    bool draw() { return thr != 0 && (rng.next() >> 32) < thr; }

    // 1. the bench's outputs for this cycle
    void drive() {
        const bool inReset = cyc < RESET_CYCLES;
        rstN = !inReset;
        // a fixed order of random draws per cycle: per weight port (ar, r), io (ar, r, aw, w, b)
        for (ReadChannel& w : wports) {
            bool a = draw(), r = draw();
            wmem.next(w.index, cyc, inReset, a, r);
            w.present();
        }
        bool a = draw(), r = draw(), aw = draw(), wd = draw(), bd = draw();
        iomem.next(0, cyc, inReset, a, r);
        ioR.present();
        ioW.drive(inReset || aw, inReset || wd, inReset || bd, cyc);
    }

    // 2. the design's outputs after the clock-low settle
    void sample() {
        const bool inReset = cyc < RESET_CYCLES;
        auto stop = [](uint32_t status, const std::string& m) { fail(status, m); };
        for (ReadChannel& w : wports) wmem.sample(w.index, w.in, inReset, false, cyc, stop);
        iomem.sample(0, ioR.in, inReset, false, cyc, stop);
        ioW.sample(mem, inReset);
        lite.sample(inReset);
    }

    // 3. after the rising edge
    void edge() {
        bool progress = lite.awFire || lite.wFire || lite.bFire || lite.arFire || lite.rFire || ioR.port().arFire
                        || ioR.port().rFire || ioW.awFire || ioW.wFire || ioW.bFire;
        for (ReadChannel& w : wports) {
            progress = progress || w.port().arFire || w.port().rFire;
            if (w.port().rFire) weightBeats++;
        }
        if (ioW.wFire && logitsBytes != 0 && ioW.beatAddr >= logitsBase && ioW.beatAddr < logitsBase + logitsBytes) {
            uint64_t off = ioW.beatAddr - logitsBase;
            if (off % (4ULL * vocab) == 4ULL * vocab - 4) {
                rowDone.push_back(cyc);
                rowBeats.push_back(weightBeats);
            }
        }
        cyc++;
        for (ReadChannel& w : wports) wmem.edge(w.index, cyc, true);
        iomem.edge(0, cyc, true);
        ioW.edge(cyc);
        lite.edge();
        if (progress) lastProgress = cyc;
        if (cyc - lastProgress > opt.timeout)
            fail(TIMEOUT, "no handshake on any kernel port for " + std::to_string(opt.timeout) + " cycles");
        if (cyc % (1ULL << 22) == 0) std::fprintf(stderr, "fornax-sim: %.1fM cycles\n", cyc / 1e6);
    }

    // ---- the simulation shim of the host driver ----
    uint32_t regAccess(LiteMaster::Op op, uint32_t off, uint32_t v) {
        while (cyc < RESET_CYCLES + 2) step();
        lite.start(op, off, v);
        while (!lite.done) step();
        return lite.result;
    }

    static uint32_t shimRead(void* ctx, uint32_t off) { return static_cast<Bench*>(ctx)->regAccess(LiteMaster::READ, off, 0); }
    static void shimWrite(void* ctx, uint32_t off, uint32_t v) { static_cast<Bench*>(ctx)->regAccess(LiteMaster::WRITE, off, v); }
    static int shimMemRead(void* ctx, uint64_t addr, void* dst, size_t n) {
        uint8_t* p = static_cast<Bench*>(ctx)->mem.at(addr, n);
        if (p == nullptr) return -1;
        std::memcpy(dst, p, n);
        return 0;
    }
    static int shimMemWrite(void* ctx, uint64_t addr, const void* src, size_t n) {
        uint8_t* p = static_cast<Bench*>(ctx)->mem.at(addr, n);
        if (p == nullptr) return -1;
        std::memcpy(p, src, n);
        return 0;
    }
    // the interrupt: cycles until the pin is high (a cycle budget stands in for the milliseconds)
    static int shimWaitIrq(void* ctx, uint32_t timeoutMs) {
        Bench* b = static_cast<Bench*>(ctx);
        uint64_t limit = b->cyc + static_cast<uint64_t>(timeoutMs) * 100000ULL;
        while (!b->irqPin) {
            if (b->cyc >= limit) return 1;
            b->step();
        }
        return 0;
    }

    fornax_shim shim() {
        fornax_shim s;
        s.ctx = this;
        s.reg_read = &Bench::shimRead;
        s.reg_write = &Bench::shimWrite;
        s.mem_read = &Bench::shimMemRead;
        s.mem_write = &Bench::shimMemWrite;
        s.wait_irq = opt.irq ? &Bench::shimWaitIrq : nullptr;
        return s;
    }
};

// ---- what the harness does: load the images, run every sequence through the driver ----

constexpr uint64_t PROMPT_BASE = 0x0000000200000000ULL;   // above 4 GB: the high address words matter
constexpr uint64_t OUTPUT_BASE = 0x0000000210000000ULL;
constexpr uint64_t LOGITS_BASE = 0x0000000300000000ULL;

inline std::vector<uint8_t> readFile(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) usage("cannot open DRAM image " + path);
    std::fseek(f, 0, SEEK_END);
    long n = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
    std::vector<uint8_t> v(static_cast<size_t>(n));
    if (n > 0 && std::fread(v.data(), 1, v.size(), f) != v.size()) usage("short read of " + path);
    std::fclose(f);
    return v;
}

inline int argmax(const int32_t* v, uint32_t n) {
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; i++)
        if (v[i] > v[best]) best = i;
    return static_cast<int>(best);
}

// Runs the scenario of opt.mode; writes the result file (FXSIM002, docs/SIMULATION.md) and the JSON
// summary. Returns the harness status.
inline uint32_t hostMain(Bench& b, uint32_t designId, uint32_t context, std::string& error) {
    const Options& o = b.opt;
    fornax_shim shim = b.shim();
    FILE* out = std::fopen(o.out.c_str(), "wb");
    if (!out) usage("cannot write " + o.out);
    std::fwrite("FXSIM002", 1, 8, out);
    put32(out, b.vocab);
    put32(out, 0);
    std::string js = "{";
    uint32_t status = OK;
    std::vector<RunRecord> runs;
    try {
        // the weight images, at their bases (4 KB aligned, 64-bit addresses)
        fornax_layout lay;
        std::memset(&lay, 0, sizeof lay);
        lay.weight_ports = b.weightPorts;
        if (o.images.size() != b.weightPorts) usage("the design has " + std::to_string(b.weightPorts) + " weight ports: give --dram with as many images");
        uint64_t base = o.weightBase;
        for (uint32_t i = 0; i < b.weightPorts; i++) {
            std::vector<uint8_t> img = readFile(o.images[i]);
            uint64_t size = (img.size() + 4095) / 4096 * 4096;
            b.mem.add("weights " + std::to_string(i), base, size);
            lay.weights[i] = base;
            fxaxi::Port& port = b.wmem.ports[i];
            port.base = base;
            port.bytes = img.size();
            port.region = b.mem.at(base, size);
            base += (size + (1ULL << 24)) / (1ULL << 24) * (1ULL << 24);  // the next region on a 16 MB boundary
            // images load in zero time, through the driver's own call
            if (fornax_load(&shim, lay.weights[i], img.data(), img.size()) != FORNAX_OK) fail(DRIVER, "fornax_load failed");
        }
        size_t maxPrompt = 1;
        for (const auto& s : o.sequences) maxPrompt = s.size() > maxPrompt ? s.size() : maxPrompt;
        b.mem.add("prompt", PROMPT_BASE, 4 * maxPrompt);
        {
            fxaxi::Port& port = b.iomem.ports[0];
            port.base = PROMPT_BASE;
            port.bytes = 4 * maxPrompt;
            port.region = b.mem.at(PROMPT_BASE, port.bytes);
        }
        b.mem.add("output", OUTPUT_BASE, 4ULL * (o.maxNew + 1) + o.outputOffset);
        uint64_t rows = maxPrompt + o.maxNew;
        if (rows > context) rows = context;
        lay.prompt = PROMPT_BASE;
        lay.output = OUTPUT_BASE + o.outputOffset;
        if (o.logits) {
            b.logitsBase = LOGITS_BASE;
            b.logitsBytes = 4ULL * b.vocab * rows;
            b.mem.add("logits", LOGITS_BASE, b.logitsBytes);
            lay.logits = LOGITS_BASE;
        }

        fornax_device dev;
        int rc = fornax_open(&shim, designId, &dev);
        char jb[512];
        std::snprintf(jb, sizeof jb, "\"open\":{\"rc\":%d,\"version\":%u,\"vocab\":%u,\"context\":%u,\"weight_ports\":%u,"
                      "\"features\":%u,\"lanes\":%u,\"design_id\":%u}", rc, dev.version, dev.vocab, dev.context,
                      dev.weight_ports, dev.features, dev.lanes, dev.design_id);
        js += jb;
        if (rc != FORNAX_OK) fail(DRIVER, std::string("fornax_open: ") + fornax_strerror(rc));

        if (o.mode == "regs") {
            // every word of the map after reset, then after writing all ones and all zeros (docs: RegisterMap)
            std::string r0 = ",\"reset\":{", r1 = ",\"ones\":{", r2 = ",\"zeros\":{";
            std::vector<uint32_t> offs;
            for (uint32_t off = 0; off < 0x400; off += 4) offs.push_back(off);
            for (uint32_t off : offs) {
                if (off == FORNAX_REG_AP_CTRL || off == FORNAX_REG_ISR) continue;
                std::snprintf(jb, sizeof jb, "%s\"%u\":%u", r0.size() > 10 ? "," : "", off, shim.reg_read(shim.ctx, off));
                r0 += jb;
            }
            std::snprintf(jb, sizeof jb, ",\"%u\":%u", FORNAX_REG_AP_CTRL, shim.reg_read(shim.ctx, FORNAX_REG_AP_CTRL));
            r0 += jb;
            std::snprintf(jb, sizeof jb, ",\"%u\":%u", FORNAX_REG_ISR, shim.reg_read(shim.ctx, FORNAX_REG_ISR));
            r0 += jb;
            for (uint32_t off : offs) {
                if (off == FORNAX_REG_AP_CTRL || off == FORNAX_REG_ISR) continue;   // writes start runs / toggle
                shim.reg_write(shim.ctx, off, 0xFFFFFFFFu);
                std::snprintf(jb, sizeof jb, "%s\"%u\":%u", r1.size() > 9 ? "," : "", off, shim.reg_read(shim.ctx, off));
                r1 += jb;
                shim.reg_write(shim.ctx, off, 0u);
                std::snprintf(jb, sizeof jb, "%s\"%u\":%u", r2.size() > 10 ? "," : "", off, shim.reg_read(shim.ctx, off));
                r2 += jb;
            }
            js += r0 + "}" + r1 + "}" + r2 + "}";
            std::snprintf(jb, sizeof jb, ",\"interrupt_after_reset\":%s", b.irqPin ? "true" : "false");
            js += jb;
        } else {
            js += ",\"runs\":[";
            for (size_t si = 0; si < o.sequences.size(); si++) {
                const std::vector<uint32_t>& prompt = o.sequences[si];
                std::vector<uint32_t> toks(o.maxNew + 1, 0);
                std::vector<int32_t> logits(o.logits ? static_cast<size_t>(rows) * b.vocab : 0);
                fornax_request rq;
                std::memset(&rq, 0, sizeof rq);
                rq.prompt = prompt.data();
                rq.prompt_len = static_cast<uint32_t>(prompt.size());
                rq.max_new = o.maxNew;
                rq.eos = o.eos.empty() ? nullptr : o.eos.data();
                rq.n_eos = static_cast<uint32_t>(o.eos.size());
                rq.ignore_eos = o.ignoreEos;
                rq.logits = o.logits ? logits.data() : nullptr;
                rq.logits_capacity = logits.size();
                rq.auto_restart = o.mode == "restart";
                fornax_result res;
                std::memset(&res, 0, sizeof res);
                res.tokens = toks.data();
                res.token_capacity = o.maxNew + 1;
                b.rowDone.clear();
                b.rowBeats.clear();
                uint64_t start = b.cyc, beats0 = b.weightBeats;
                rc = fornax_run(&shim, &lay, &rq, &res);
                RunRecord rr{rc, res, std::vector<uint32_t>(toks.begin(), toks.begin() + (res.n_tokens < toks.size() ? res.n_tokens : toks.size())), start, b.cyc};
                char desc[256];
                fornax_describe(&res, desc, sizeof desc);
                std::fprintf(stderr, "fornax-sim: run %zu: %s (%s), %llu cycles\n", si, fornax_strerror(rc), desc,
                             static_cast<unsigned long long>(res.cycles));
                uint32_t restarts = 0;
                if (o.mode == "restart") {
                    // AUTO_RESTART is set: the kernel runs again at once; count the runs it completes
                    // until the bit is cleared (cleared after the second done)
                    for (int k = 0; k < 2; k++) {
                        uint32_t ctrl;
                        uint64_t polls = 0;
                        do {
                            ctrl = shim.reg_read(shim.ctx, FORNAX_REG_AP_CTRL);
                            if (++polls > 50000000ULL) fail(TIMEOUT, "no AP_DONE after an auto restart");
                        } while ((ctrl & FORNAX_AP_CTRL_AP_DONE) == 0);
                        restarts++;
                        if (k == 0) shim.reg_write(shim.ctx, FORNAX_REG_AP_CTRL, 0u);  // clear AUTO_RESTART
                    }
                    uint32_t idle = 0;
                    for (int k = 0; k < 64; k++) idle = shim.reg_read(shim.ctx, FORNAX_REG_AP_CTRL);
                    std::snprintf(jb, sizeof jb, "%s{\"restarts\":%u,\"idle_after\":%s,\"tokens_last\":%u}", si ? "," : "",
                                  restarts, (idle & FORNAX_AP_CTRL_AP_IDLE) ? "true" : "false",
                                  shim.reg_read(shim.ctx, FORNAX_REG_TOKENS));
                    js += jb;
                    continue;
                }
                std::string tl;
                for (size_t k = 0; k < rr.tokens.size(); k++) tl += (k ? "," : "") + std::to_string(rr.tokens[k]);
                std::snprintf(jb, sizeof jb, "%s{\"rc\":%d,\"rc_text\":\"%s\",\"stop_reason\":%u,\"error\":%u,\"error_info\":%u,"
                              "\"n_tokens\":%u,\"positions\":%u,\"cycles\":%llu,\"weight_beats\":%llu,\"matrix_cycles\":%llu,"
                              "\"io_beats\":%llu,\"host_cycles\":%llu,\"interrupt_high_at_end\":%s,\"tokens\":[",
                              si ? "," : "", rc, fornax_strerror(rc), res.stop_reason, res.error, res.error_info,
                              res.n_tokens, res.positions, static_cast<unsigned long long>(res.cycles),
                              static_cast<unsigned long long>(res.weight_beats),
                              static_cast<unsigned long long>(res.matrix_cycles), static_cast<unsigned long long>(res.io_beats),
                              static_cast<unsigned long long>(b.cyc - start), b.irqPin ? "true" : "false");
                js += jb + tl + "]}";
                // positions, as the core harness records them (docs/SIMULATION.md): the token fed, the
                // prediction (the kernel's written id; for prompt positions before the last, the argmax
                // of the logits the kernel wrote), cycles between the ends of consecutive logit rows
                if (o.logits && rc != FORNAX_E_ARG) {
                    uint32_t n = res.logit_rows;
                    for (uint32_t p = 0; p < n; p++) {
                        const int32_t* row = logits.data() + static_cast<size_t>(p) * b.vocab;
                        uint32_t fed = p < prompt.size() ? prompt[p] : rr.tokens[p - prompt.size()];
                        size_t g = p + 1 - prompt.size();
                        uint32_t pred = p + 1 < prompt.size() ? static_cast<uint32_t>(argmax(row, b.vocab))
                                        : g < rr.tokens.size() ? rr.tokens[g] : static_cast<uint32_t>(argmax(row, b.vocab));
                        uint64_t t1 = p < b.rowDone.size() ? b.rowDone[p] : b.cyc;
                        uint64_t t0 = p == 0 ? start : p - 1 < b.rowDone.size() ? b.rowDone[p - 1] : t1;
                        uint64_t w1 = p < b.rowBeats.size() ? b.rowBeats[p] : b.weightBeats;
                        uint64_t w0 = p == 0 ? beats0 : p - 1 < b.rowBeats.size() ? b.rowBeats[p - 1] : w1;
                        put32(out, 1);
                        put32(out, static_cast<uint32_t>(si));
                        put32(out, p);
                        put32(out, fed);
                        put32(out, pred);
                        put64(out, t1 - t0);
                        put64(out, w1 - w0);
                        put64(out, 0);
                        put64(out, 0);
                        std::fwrite(row, 4, b.vocab, out);
                    }
                }
                runs.push_back(rr);
            }
            js += "]";
        }
    } catch (const Failure& f) {
        status = f.status;
        error = f.what();
    }
    char tail[160];
    std::snprintf(tail, sizeof tail, ",\"status\":%u,\"cycles\":%llu,\"lite_reads\":%llu,\"lite_writes\":%llu}", status,
                  static_cast<unsigned long long>(b.cyc), static_cast<unsigned long long>(b.lite.reads),
                  static_cast<unsigned long long>(b.lite.writes));
    js += tail;
    put32(out, 2);
    put32(out, status);
    put64(out, b.cyc);
    std::fclose(out);
    FILE* jf = std::fopen(o.json.c_str(), "wb");
    if (jf) {
        std::fputs(js.c_str(), jf);
        std::fputc('\n', jf);
        std::fclose(jf);
    }
    return status;
}

}  // namespace fxk
