// Fornax Verilator harness (copied verbatim by dev.fornax.sim.TestbenchWriter; the design-specific
// constants live in fornax_config.h). Behaviour is identical to fornax_tb.v, cycle for cycle and
// random draw for random draw, so both simulators give the same cycle counts for the same seed.
// See docs/SIMULATION.md for the arguments, the memory model and the result file format.
#include "Vfornax_dut.h"
#include "fornax_config.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <deque>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

// Result file: tags and status codes shared with fornax_tb.v and dev.fornax.sim.SimResultFile.
constexpr uint32_t TAG_POSITION = 1;
constexpr uint32_t TAG_END = 2;
enum Status : uint32_t {
    OK = 0, TIMEOUT = 1, PROTOCOL = 2, OVERFLOW = 3, AXI = 4, USAGE = 5, AXI_ERROR = 6
};
// Cycles the harness holds rst high, at the start and at --reset-at.
constexpr uint64_t RESET_CYCLES = 4;
// After the design raises axi_error: the longest it may leave offered read data untaken.
constexpr uint64_t ERROR_DRAIN_CYCLES = 64;
// After the last beat of a burst answered with SLVERR: cycles within which axi_error must rise.
constexpr uint64_t ERROR_REPORT_CYCLES = 16;

struct Args {
    std::vector<std::vector<uint32_t>> sequences;
    uint64_t maxNew = 16;
    std::vector<uint32_t> eos;
    bool ignoreEos = false;
    double stall = 0.0;
    uint64_t seed = 1;
    std::string out = "results.bin";
    std::string wave;
    std::string dram;
    std::vector<uint64_t> axiLatency{150};
    uint64_t blackoutEvery = 0, blackoutCycles = 0;
    uint64_t rateNum = 1, rateDen = 1;   // each port delivers at most rateNum beats every rateDen cycles
    uint64_t injectRresp = 0;
    uint64_t resetAt = 0;
    uint64_t axiBase = 0x123456000ULL;
    uint64_t timeout = 100000000;
};

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr, "fornax-sim: error: %s\n", why.c_str());
    std::fprintf(stderr,
                 "usage: Vfornax_dut --tokens 1,2,3[/4,5] [-n N] [--eos 2[,3]] [--ignore-eos] "
                 "[--stall P] [--seed S] [--out FILE] [--wave FILE] [--dram FILE] "
                 "[--axi-latency N[,N1,...]] [--axi-blackout EVERY,CYCLES] [--axi-rate NUM/DEN] [--inject-rresp N] "
                 "[--reset-at CYCLE] [--axi-base ADDR] [--timeout CYCLES]\n");
    std::exit(2);
}

uint64_t parseUint(const std::string& s, const char* what) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(s.c_str(), &end, 0);
    if (s.empty() || *end != '\0' || s[0] == '-') usage(std::string("bad number for ") + what + ": '" + s + "'");
    return v;
}

std::vector<uint64_t> parseList64(const std::string& s, const char* what) {
    std::vector<uint64_t> v;
    size_t i = 0;
    while (i < s.size()) {
        size_t j = s.find(',', i);
        if (j == std::string::npos) j = s.size();
        v.push_back(parseUint(s.substr(i, j - i), what));
        i = j + 1;
    }
    return v;
}

std::vector<uint32_t> parseList(const std::string& s, const char* what) {
    std::vector<uint32_t> v;
    for (uint64_t x : parseList64(s, what)) v.push_back(static_cast<uint32_t>(x));
    return v;
}

Args parseArgs(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; i++) {
        std::string k = argv[i];
        if (k.rfind("+verilator", 0) == 0) continue;
        auto val = [&]() -> std::string {
            if (i + 1 >= argc) usage("missing value for " + k);
            return argv[++i];
        };
        if (k == "--tokens") {
            std::string s = val();
            size_t p = 0;
            while (p <= s.size()) {
                size_t q = s.find('/', p);
                if (q == std::string::npos) q = s.size();
                a.sequences.push_back(parseList(s.substr(p, q - p), "--tokens"));
                if (a.sequences.back().empty()) usage("empty sequence in --tokens");
                p = q + 1;
            }
        } else if (k == "-n" || k == "--max-new") a.maxNew = parseUint(val(), "-n");
        else if (k == "--eos") { std::string s = val(); if (!s.empty()) a.eos = parseList(s, "--eos"); }
        else if (k == "--ignore-eos") a.ignoreEos = true;
        else if (k == "--stall") {
            std::string s = val();
            char* end = nullptr;
            a.stall = std::strtod(s.c_str(), &end);
            if (*end != '\0' || !(a.stall >= 0.0 && a.stall < 1.0)) usage("--stall must be in [0, 1)");
        } else if (k == "--seed") a.seed = parseUint(val(), "--seed");
        else if (k == "--out") a.out = val();
        else if (k == "--wave") a.wave = val();
        else if (k == "--dram") a.dram = val();
        else if (k == "--axi-latency") {
            a.axiLatency = parseList64(val(), "--axi-latency");
            if (a.axiLatency.size() != 1 && a.axiLatency.size() != FORNAX_AXI_PORTS)
                usage("--axi-latency takes one value or one per port (" + std::to_string(FORNAX_AXI_PORTS) + ")");
        } else if (k == "--axi-blackout") {
            std::vector<uint64_t> b = parseList64(val(), "--axi-blackout");
            if (b.size() != 2 || b[0] == 0 || b[1] >= b[0]) usage("--axi-blackout takes EVERY,CYCLES with CYCLES < EVERY");
            a.blackoutEvery = b[0];
            a.blackoutCycles = b[1];
        } else if (k == "--axi-rate") {
            std::string v = val();
            size_t slash = v.find('/');
            if (slash == std::string::npos) usage("--axi-rate takes NUM/DEN beats per cycle, e.g. 3/5");
            a.rateNum = parseUint(v.substr(0, slash), "--axi-rate");
            a.rateDen = parseUint(v.substr(slash + 1), "--axi-rate");
            if (a.rateNum == 0 || a.rateDen == 0 || a.rateNum > a.rateDen || a.rateDen > 1000000)
                usage("--axi-rate NUM/DEN needs 0 < NUM <= DEN <= 1000000");
        } else if (k == "--inject-rresp") a.injectRresp = parseUint(val(), "--inject-rresp");
        else if (k == "--reset-at") a.resetAt = parseUint(val(), "--reset-at");
        else if (k == "--axi-base") {
            a.axiBase = parseUint(val(), "--axi-base");
            if (a.axiBase % 4096 != 0) usage("--axi-base must be a multiple of 4096");
        } else if (k == "--timeout") a.timeout = parseUint(val(), "--timeout");
        else usage("unknown argument " + k);
    }
    if (a.sequences.empty()) usage("--tokens is required");
    if (a.resetAt != 0 && a.resetAt < RESET_CYCLES) usage("--reset-at must be at least " + std::to_string(RESET_CYCLES));
    for (auto& seq : a.sequences)
        for (uint32_t t : seq)
            if (t >= FORNAX_VOCAB) usage("token " + std::to_string(t) + " is not below the vocabulary size");
    return a;
}

// splitmix64: the same generator as fornax_tb.v.
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
};

void put32(FILE* f, uint32_t v) { std::fwrite(&v, 4, 1, f); }  // the harness assumes a little-endian host
void put64(FILE* f, uint64_t v) { std::fwrite(&v, 8, 1, f); }

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

#if FORNAX_DRAM
// Wide and narrow AXI data ports: Verilator maps <=64 bits to integers, wider to VlWide words.
template <class T> void setData(T& sig, const uint8_t* p) {
    uint64_t v = 0;
    std::memcpy(&v, p, FORNAX_AXI_DW / 8);
    sig = static_cast<T>(v);
}
template <std::size_t N> void setData(VlWide<N>& sig, const uint8_t* p) {
    for (std::size_t w = 0; w < N; w++) {
        uint32_t v;
        std::memcpy(&v, p + 4 * w, 4);
        sig[w] = v;
    }
}

using RData = std::remove_reference_t<decltype(std::declval<Vfornax_dut>().m_axi_w0_rdata)>;

// One AXI4 read port of the design: m_axi_w<i>_<name> and w<i>_base (dev.fornax.rtl.AxiSignals),
// bound by FORNAX_BIND_PORTS from fornax_config.h.
struct PortIO {
    QData* araddr; CData* arlen; CData* arsize; CData* arburst; CData* arid; CData* arprot; CData* arcache;
    CData* arqos; CData* arlock; CData* arvalid; CData* arready;
    RData* rdata; CData* rresp; CData* rlast; CData* rid; CData* rvalid; CData* rready; QData* base;
};

struct Burst { uint64_t offset; uint32_t len; uint64_t readyAt; uint64_t index; bool slverr; };

// The memory model's state of one port: its region of the image, the bursts accepted and not yet
// delivered (in order), and the inputs it drives.
struct Port {
    PortIO io;
    const uint8_t* region;
    uint64_t bytes, base, latency;
    std::deque<Burst> bursts;
    uint32_t beatInBurst = 0;
    bool rvalid = false, arReady = false;
    bool prevArPending = false;
    uint64_t prevArAddr = 0, prevArCtl = 0;
    uint64_t beats = 0;  // R handshakes since the start
    uint64_t credit = 0; // --axi-rate: a beat may be presented when credit >= rateDen
};
#endif

}  // namespace

int main(int argc, char** argv) {
    Args args = parseArgs(argc, argv);
    auto wallStart = std::chrono::steady_clock::now();

    VerilatedContext* ctx = new VerilatedContext;
    ctx->commandArgs(argc, argv);
    Vfornax_dut* top = new Vfornax_dut{ctx};
#if VM_TRACE
    VerilatedVcdC* vcd = nullptr;
    if (!args.wave.empty()) {
        ctx->traceEverOn(true);
        vcd = new VerilatedVcdC;
        top->trace(vcd, 99);
        vcd->open(args.wave.c_str());
    }
#else
    if (!args.wave.empty()) usage("--wave needs a model built with --trace (make sim WAVE=...)");
#endif

#if FORNAX_DRAM
    // the image's files (fornax_config.h); --dram names another file for a one-file image
    static const char* const fileNames[] = FORNAX_FILES;
    static const uint64_t fileBytes[] = FORNAX_FILE_BYTES;
    constexpr size_t NFILES = sizeof(fileBytes) / sizeof(fileBytes[0]);
    std::vector<std::vector<uint8_t>> files(NFILES);
    if (!args.dram.empty() && NFILES != 1) usage("--dram: this design's image has " + std::to_string(NFILES) + " files, which the harness loads itself");
    for (size_t f = 0; f < NFILES; f++) {
        const std::string name = args.dram.empty() ? fileNames[f] : args.dram;
        auto t0 = std::chrono::steady_clock::now();
        FILE* fp = std::fopen(name.c_str(), "rb");
        if (!fp) usage("cannot open DRAM image " + name);
        std::fseek(fp, 0, SEEK_END);
        long size = std::ftell(fp);
        std::fseek(fp, 0, SEEK_SET);
        if (size < 0 || static_cast<uint64_t>(size) != fileBytes[f])
            usage("DRAM image " + name + " has " + std::to_string(size) + " bytes, the harness was written for "
                  + std::to_string(fileBytes[f]));
        files[f].resize(static_cast<size_t>(size));
        if (std::fread(files[f].data(), 1, static_cast<size_t>(size), fp) != static_cast<size_t>(size))
            usage("short read of DRAM image " + name);
        std::fclose(fp);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "fornax-sim: loaded DRAM image %s (%ld bytes) in %.2f s\n", name.c_str(), size, s);
    }
    constexpr uint32_t BEAT = FORNAX_AXI_DW / 8;
    constexpr uint32_t SIZE_LOG2 = __builtin_ctz(BEAT);
    static const int regionFile[] = FORNAX_REGION_FILE;
    static const uint64_t regionOffset[] = FORNAX_REGION_OFFSETS;
    static const uint64_t regionBytes[] = FORNAX_REGION_BYTES;
    std::vector<Port> ports(FORNAX_AXI_PORTS);
    FORNAX_BIND_PORTS(ports, top)
    for (size_t i = 0; i < ports.size(); i++) {
        Port& p = ports[i];
        p.credit = args.rateDen;
        p.region = files[regionFile[i]].data() + regionOffset[i];
        p.bytes = regionBytes[i];
        p.base = args.axiBase + (static_cast<uint64_t>(i) << FORNAX_AXI_PORT_STRIDE_LOG2);
        p.latency = args.axiLatency.size() == 1 ? args.axiLatency[0] : args.axiLatency[i];
    }
    uint64_t arCount = 0;                 // AR handshakes over all ports, in port order within a cycle
    bool injectStarted = false;           // a beat of the SLVERR burst was delivered
    bool injected = false;                // its last beat was delivered
    uint64_t injectedAt = 0;
    uint64_t errorAt = 0;                 // cycle the design raised axi_error (0: not yet)
    uint64_t refusedFor = 0;              // after it: consecutive cycles with read data offered and not taken
    uint32_t errorCode = 0;
    // Matrix phases (the design's perf_matrix output high): cycles, and R beats accepted in them.
    uint64_t matrixCycles = 0, matrixBeats = 0;
    auto axiBeatsNow = [&]() { uint64_t n = 0; for (const Port& p : ports) n += p.beats; return n; };
    auto blackout = [&](size_t i, uint64_t c) {
        // staggered per port, as independent channels refresh at different times
        return args.blackoutEvery != 0
               && (c + i * (args.blackoutEvery / FORNAX_AXI_PORTS)) % args.blackoutEvery < args.blackoutCycles;
    };
#endif

    FILE* out = std::fopen(args.out.c_str(), "wb");
    if (!out) usage("cannot write " + args.out);
    std::fwrite("FXSIM002", 1, 8, out);
    put32(out, FORNAX_VOCAB);
    put32(out, 0);

    Rng rng{args.seed};
    const uint64_t thr = static_cast<uint64_t>(args.stall * 4294967296.0);
    const bool stalls = thr != 0;
    constexpr int DRAWS = 3 + 2 * FORNAX_AXI_PORTS * FORNAX_DRAM;

    std::vector<int32_t> logits(FORNAX_VOCAB);
    uint64_t cyc = 0, lastProgress = 0, positionsWritten = 0;
    // rst is high in cycles 0..3 and, with --reset-at C, in cycles C..C+3
    auto resetAt = [&](uint64_t c) {
        return c < RESET_CYCLES || (args.resetAt != 0 && c >= args.resetAt && c < args.resetAt + RESET_CYCLES);
    };
    uint32_t status = OK;
    std::string error;
    size_t seqIdx = 0;
    uint64_t pos = 0, generated = 0;
    uint32_t token = args.sequences[0][0];
    bool first = true, haveToken = true, tokValid = false;
    bool awaiting = false;  // a token was accepted and its logits/prediction are pending
    uint64_t acceptCycle = 0, predSeen = 0, beatsAtAccept = 0, matrixCyclesAtAccept = 0, matrixBeatsAtAccept = 0;
    bool predSeenSet = false;
    uint32_t logitIdx = 0;
    bool logitReady = false, predReady = false;
    // Protocol check: a master's valid and data held while valid && !ready.
    bool prevLogitPending = false, prevPredPending = false;
    uint64_t prevLogitData = 0, prevPredData = 0;
    const uint64_t heartbeat = 1ULL << 22;

    auto fail = [&](uint32_t st, const std::string& msg) {
        if (status == OK) { status = st; error = msg; }
    };
    auto restart = [&]() {  // --reset-at: the design forgets everything; feed the sequences again
        seqIdx = 0; pos = 0; generated = 0; token = args.sequences[0][0];
        first = true; haveToken = true; tokValid = false; awaiting = false; logitIdx = 0;
        prevLogitPending = false; prevPredPending = false;
    };

    top->clk = 0;
    top->rst = 1;
    bool done = false;
    while (!done) {
        if (args.resetAt != 0 && cyc == args.resetAt) {
            if (positionsWritten != 0) usage("--reset-at " + std::to_string(args.resetAt) + " comes after the first prediction");
            restart();
        }
        const bool inReset = resetAt(cyc);
        // 1. drive inputs for this cycle
        top->rst = inReset;
        top->s_tok_tvalid = tokValid;
        top->s_tok_tdata = token;
        top->s_tok_tuser = first;
        top->m_logit_tready = logitReady;
        top->m_pred_tready = predReady;
#if FORNAX_DRAM
        for (Port& p : ports) {
            *p.io.base = p.base;
            *p.io.arready = p.arReady;
            *p.io.rvalid = p.rvalid;
            *p.io.rid = 0;
            if (!p.bursts.empty()) {
                const Burst& b = p.bursts.front();
                setData(*p.io.rdata, p.region + b.offset + static_cast<uint64_t>(p.beatInBurst) * BEAT);
                *p.io.rlast = p.beatInBurst == b.len;
                *p.io.rresp = b.slverr ? 2 : 0;
            } else {
                *p.io.rlast = 0;
                *p.io.rresp = 0;
            }
        }
#endif
        top->clk = 0;
        top->eval();
#if VM_TRACE
        if (vcd) vcd->dump(2 * cyc);
#endif
        // 2. sample outputs
        // registered outputs go low from the second cycle of a (synchronous) reset
        const bool resetSettled = inReset && cyc != 0 && cyc != args.resetAt;
        if (resetSettled) {
            bool busy = top->s_tok_tready || top->m_logit_tvalid || top->m_pred_tvalid;
#if FORNAX_DRAM
            for (Port& p : ports) busy = busy || *p.io.arvalid || *p.io.rready;
#endif
            if (busy) fail(PROTOCOL, "a ready/valid output is high during reset");
        }
        if (top->overflow) fail(OVERFLOW, "overflow raised at sequence " + std::to_string(seqIdx) + " position " + std::to_string(pos));
        const bool tokFire = !inReset && tokValid && top->s_tok_tready;
        const bool logitFire = !inReset && top->m_logit_tvalid && logitReady;
        const bool predFire = !inReset && top->m_pred_tvalid && predReady;
        const uint64_t logitData = (static_cast<uint64_t>(top->m_logit_tlast) << 32) | static_cast<uint32_t>(top->m_logit_tdata);
        const uint64_t predData = top->m_pred_tdata;
        if (prevLogitPending && (!top->m_logit_tvalid || logitData != prevLogitData))
            fail(PROTOCOL, "m_logit_tvalid/tdata/tlast changed while valid && !ready");
        if (prevPredPending && (!top->m_pred_tvalid || predData != prevPredData))
            fail(PROTOCOL, "m_pred_tvalid/tdata changed while valid && !ready");
        prevLogitPending = !inReset && top->m_logit_tvalid && !logitReady;
        prevPredPending = !inReset && top->m_pred_tvalid && !predReady;
        prevLogitData = logitData;
        prevPredData = predData;
        if (!inReset && top->m_pred_tvalid) {
            if (!awaiting || logitIdx != FORNAX_VOCAB) fail(PROTOCOL, "m_pred_tvalid high before the last logit was taken");
            else if (!predSeenSet) { predSeen = cyc; predSeenSet = true; }
        }
        if (logitFire) {
            if (!awaiting || logitIdx >= FORNAX_VOCAB) fail(PROTOCOL, "logit beat outside a position's logits stream");
            else {
                logits[logitIdx] = static_cast<int32_t>(top->m_logit_tdata);
                if (static_cast<bool>(top->m_logit_tlast) != (logitIdx == FORNAX_VOCAB - 1))
                    fail(PROTOCOL, "m_logit_tlast " + std::string(top->m_logit_tlast ? "high" : "low") + " on logit index " + std::to_string(logitIdx));
                logitIdx++;
            }
        }
#if FORNAX_DRAM
        const bool inMatrix = !inReset && top->perf_matrix;
        bool anyAr = false, anyR = false, rInMatrix = false;
        std::vector<bool> arFire(ports.size()), rFire(ports.size());
        std::vector<Burst> newBurst(ports.size());
        if (!inReset && top->axi_error && errorAt == 0) {
            errorAt = cyc;
            errorCode = top->axi_error_code;
        }
        if (resetSettled && top->axi_error) fail(PROTOCOL, "axi_error is high during reset");
        for (size_t i = 0; i < ports.size(); i++) {
            Port& p = ports[i];
            const std::string name = "m_axi_w" + std::to_string(i) + "_";
            arFire[i] = !inReset && *p.io.arvalid && p.arReady;
            // a transfer is a transfer, reset or not: the memory is not reset with the design
            rFire[i] = p.rvalid && *p.io.rready;
            anyAr = anyAr || arFire[i];
            anyR = anyR || rFire[i];
            const uint64_t arAddr = *p.io.araddr;
            const uint64_t arCtl = (static_cast<uint64_t>(*p.io.arlen) << 32) | (static_cast<uint64_t>(*p.io.arsize) << 24)
                                   | (static_cast<uint64_t>(*p.io.arburst) << 20) | (static_cast<uint64_t>(*p.io.arid) << 16)
                                   | (static_cast<uint64_t>(*p.io.arprot) << 12) | (static_cast<uint64_t>(*p.io.arcache) << 8)
                                   | (static_cast<uint64_t>(*p.io.arqos) << 4) | *p.io.arlock;
            if (p.prevArPending && (!*p.io.arvalid || arAddr != p.prevArAddr || arCtl != p.prevArCtl))
                fail(PROTOCOL, name + "ar* changed while arvalid && !arready");
            // after axi_error only a request already waiting for arready may complete
            if (errorAt != 0 && errorAt < cyc && !inReset && *p.io.arvalid && !p.prevArPending)
                fail(PROTOCOL, name + "arvalid: a new read burst after axi_error");
            p.prevArPending = !inReset && *p.io.arvalid && !p.arReady;
            p.prevArAddr = arAddr;
            p.prevArCtl = arCtl;
            if (!arFire[i]) continue;
            const uint64_t len = *p.io.arlen;
            const uint64_t bytes = (len + 1) * BEAT;
            const uint8_t cache = *p.io.arcache;
            arCount++;
            newBurst[i] = Burst{arAddr - p.base, static_cast<uint32_t>(len), cyc + 1 + p.latency, arCount,
                                args.injectRresp == arCount};
            if (*p.io.arburst != 1) fail(AXI, name + "arburst is not INCR");
            else if (*p.io.arsize != SIZE_LOG2) fail(AXI, name + "arsize " + std::to_string(*p.io.arsize) + " differs from the data width");
            else if (len + 1 > FORNAX_AXI_MAX_BURST) fail(AXI, name + "arlen " + std::to_string(len) + " exceeds the design's longest burst (" + std::to_string(FORNAX_AXI_MAX_BURST) + " beats)");
            else if (arAddr % BEAT != 0) fail(AXI, "unaligned AXI read address " + hex(arAddr) + " on port " + std::to_string(i));
            else if ((arAddr >> 12) != ((arAddr + bytes - 1) >> 12)) fail(AXI, "AXI burst at " + hex(arAddr) + " on port " + std::to_string(i) + " crosses a 4 KB boundary");
            else if (arAddr < p.base || arAddr - p.base + bytes > p.bytes) fail(AXI, "AXI read of " + std::to_string(bytes) + " bytes at " + hex(arAddr) + " outside port " + std::to_string(i) + "'s region [" + hex(p.base) + ", " + hex(p.base + p.bytes) + ")");
            else if (!(cache & 2) && (cache & 12)) fail(AXI, name + "arcache " + std::to_string(cache) + " is illegal (ARCACHE[1] = 0 requires ARCACHE[3:2] = 0)");
            else if (*p.io.arlock != 0) fail(AXI, name + "arlock requests an exclusive access");
        }
#else
        const bool anyAr = false, anyR = false;
        const bool rInMatrix = false;
        (void)rInMatrix;
#endif
        // 3. clock edge
        top->clk = 1;
        top->eval();
        cyc++;
#if VM_TRACE
        if (vcd) vcd->dump(2 * cyc - 1);
#endif
        // 4. update harness state from this edge's handshakes
        if (tokFire || logitFire || predFire || anyAr || anyR) lastProgress = cyc;
        if (tokFire) {
            tokValid = false;
            haveToken = false;
            awaiting = true;
            acceptCycle = cyc;
            predSeenSet = false;
            logitIdx = 0;
#if FORNAX_DRAM
            beatsAtAccept = axiBeatsNow();
            matrixCyclesAtAccept = matrixCycles;
            matrixBeatsAtAccept = matrixBeats;
#endif
        }
#if FORNAX_DRAM
        if (inMatrix) matrixCycles++;
        for (size_t i = 0; i < ports.size(); i++) {
            Port& p = ports[i];
            if (arFire[i] && status == OK) p.bursts.push_back(newBurst[i]);
            if (!rFire[i]) continue;
            p.rvalid = false;
            p.beats++;
            p.credit -= args.rateDen;
            if (inMatrix) matrixBeats++;
            const Burst b = p.bursts.front();
            injectStarted = injectStarted || b.slverr;
            if (p.beatInBurst == b.len) {
                p.bursts.pop_front();
                p.beatInBurst = 0;
                if (b.slverr) { injected = true; injectedAt = cyc; }
            } else {
                p.beatInBurst++;
            }
        }
        if (errorAt != 0 && status == OK) {
            // the design stopped on an error: it must keep taking the data of its outstanding bursts
            // (rready high), then the run ends
            bool drained = true, refused = false;
            for (size_t i = 0; i < ports.size(); i++) {
                drained = drained && ports[i].bursts.empty();
                refused = refused || (ports[i].rvalid && !rFire[i]);
            }
            refusedFor = refused ? refusedFor + 1 : 0;
            if (refusedFor > ERROR_DRAIN_CYCLES)
                fail(AXI, "the design raised axi_error and then refused the read data of its outstanding bursts for "
                          + std::to_string(ERROR_DRAIN_CYCLES) + " cycles");
            else if (drained)
                fail(AXI_ERROR, "the design raised axi_error, code " + hex(errorCode) + " (port " + std::to_string(errorCode >> 3)
                                + ", cause " + std::to_string(errorCode & 7) + ")"
                                + (injectStarted ? ", after the SLVERR injected into read burst " + std::to_string(args.injectRresp)
                                   : args.injectRresp != 0 ? ", before the SLVERR injected into read burst " + std::to_string(args.injectRresp)
                                   : ", with no error injected"));
        }
        if (injected && errorAt == 0 && cyc - injectedAt > ERROR_REPORT_CYCLES)
            fail(PROTOCOL, "the design did not raise axi_error within " + std::to_string(ERROR_REPORT_CYCLES)
                           + " cycles of the SLVERR response injected into read burst " + std::to_string(args.injectRresp));
#endif
        if (predFire && status == OK) {
            uint32_t pred = static_cast<uint32_t>(predData);
            uint64_t cycles = predSeen - acceptCycle;
            uint64_t beats = 0, mCycles = 0, mBeats = 0;
#if FORNAX_DRAM
            beats = axiBeatsNow() - beatsAtAccept;
            mCycles = matrixCycles - matrixCyclesAtAccept;
            mBeats = matrixBeats - matrixBeatsAtAccept;
#endif
            put32(out, TAG_POSITION);
            put32(out, static_cast<uint32_t>(seqIdx));
            put32(out, static_cast<uint32_t>(pos));
            put32(out, token);
            put32(out, pred);
            put64(out, cycles);
            put64(out, beats);
            put64(out, mCycles);
            put64(out, mBeats);
            std::fwrite(logits.data(), 4, FORNAX_VOCAB, out);
            positionsWritten++;
            std::fprintf(stderr, "fornax-sim: seq %zu pos %llu token %u -> %u, %llu cycles\n", seqIdx,
                         static_cast<unsigned long long>(pos), token, pred, static_cast<unsigned long long>(cycles));
            awaiting = false;
            // What to feed next: the prompt, then the hardware's own prediction (docs/SIMULATION.md).
            const std::vector<uint32_t>& prompt = args.sequences[seqIdx];
            bool seqDone = false;
            if (pos + 1 < prompt.size()) {
                token = prompt[pos + 1];
            } else {
                bool isEos = false;
                for (uint32_t e : args.eos) isEos = isEos || e == pred;
                if (generated == args.maxNew || (isEos && !args.ignoreEos)) seqDone = true;
                else if (++generated == args.maxNew) seqDone = true;
                else token = pred;
            }
            first = false;
            pos++;
            if (seqDone) {
                seqIdx++;
                pos = 0;
                generated = 0;
                if (seqIdx == args.sequences.size()) done = true;
                else { token = args.sequences[seqIdx][0]; first = true; }
            }
            haveToken = !done;
        }
#if FORNAX_DRAM
        if (done && status == OK && args.injectRresp != 0) {
            if (injectStarted) fail(PROTOCOL, "the design finished without raising axi_error after the SLVERR response injected into read burst " + std::to_string(args.injectRresp));
            else fail(USAGE, "--inject-rresp " + std::to_string(args.injectRresp) + ": the run ended after "
                             + std::to_string(arCount) + " read bursts");
        }
#endif
        if (status != OK) done = true;
        if (!done && cyc - lastProgress > args.timeout)
            fail(TIMEOUT, "no handshake for " + std::to_string(args.timeout) + " cycles at sequence " + std::to_string(seqIdx) + " position " + std::to_string(pos));
        if (status != OK) done = true;
        if (cyc % heartbeat == 0) {
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
            std::fprintf(stderr, "fornax-sim: %.1fM cycles, %.2fM cycles/s\n", cyc / 1e6, cyc / 1e6 / s);
        }
        // 5. next cycle's inputs: random draws in a fixed order (token valid, logit ready, pred
        // ready, then arready and rvalid of each port), each stalling with probability P. The
        // memory is not reset with the design: data of bursts accepted before a reset keeps coming.
        bool st[DRAWS];
        for (bool& s : st) s = false;
        if (stalls)
            for (bool& s : st) s = (rng.next() >> 32) < thr;
        const bool nowReset = resetAt(cyc);
        if (!nowReset && haveToken && !tokValid) tokValid = !st[0];
        logitReady = !nowReset && !st[1];
        predReady = !nowReset && !st[2];
#if FORNAX_DRAM
        for (size_t i = 0; i < ports.size(); i++) {
            Port& p = ports[i];
            const bool off = blackout(i, cyc);
            p.arReady = !nowReset && !st[3 + 2 * i] && !off && p.bursts.size() < FORNAX_AXI_MAX_OUTSTANDING;
            // the channel's bandwidth: rateNum beats every rateDen cycles (credit capped at one beat)
            p.credit = std::min(p.credit + args.rateNum, args.rateDen + args.rateNum - 1);
            if (!p.rvalid && !off && p.credit >= args.rateDen && !p.bursts.empty() && p.bursts.front().readyAt <= cyc)
                p.rvalid = !st[4 + 2 * i];
        }
#endif
    }
    put32(out, TAG_END);
    put32(out, status);
    put64(out, cyc);
    std::fclose(out);
    top->final();
#if VM_TRACE
    if (vcd) vcd->close();
#endif
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    if (status != OK) {
        std::fprintf(stderr, "fornax-sim: error: %s (cycle %llu)\n", error.c_str(), static_cast<unsigned long long>(cyc));
        return 1;
    }
    std::fprintf(stderr, "fornax-sim: done, %llu cycles in %.2f s (%.2fM cycles/s)\n", static_cast<unsigned long long>(cyc), s, cyc / 1e6 / s);
    return 0;
}
