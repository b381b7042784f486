// Fornax Verilator harness (copied verbatim by dev.fornax.sim.TestbenchWriter; the design-specific
// constants live in fornax_config.h). Behaviour is identical to fornax_tb.v, cycle for cycle and
// random draw for random draw, so both simulators give the same cycle counts for the same seed.
// See docs/SIMULATION.md for the arguments and the result file format.
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
#include <deque>
#include <string>
#include <vector>

namespace {

// Result file: tags and status codes shared with fornax_tb.v and dev.fornax.sim.SimResultFile.
constexpr uint32_t TAG_POSITION = 1;
constexpr uint32_t TAG_END = 2;
enum Status : uint32_t {
    OK = 0, TIMEOUT = 1, PROTOCOL = 2, OVERFLOW = 3, AXI = 4, USAGE = 5
};

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
    uint64_t axiLatency = 8;
    uint64_t timeout = 100000000;
};

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr, "fornax-sim: error: %s\n", why.c_str());
    std::fprintf(stderr,
                 "usage: Vfornax_dut --tokens 1,2,3[/4,5] [-n N] [--eos 2[,3]] [--ignore-eos] "
                 "[--stall P] [--seed S] [--out FILE] [--wave FILE] [--dram FILE] "
                 "[--axi-latency N] [--timeout CYCLES]\n");
    std::exit(2);
}

uint64_t parseUint(const std::string& s, const char* what) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0') usage(std::string("bad number for ") + what + ": '" + s + "'");
    return v;
}

std::vector<uint32_t> parseList(const std::string& s, const char* what) {
    std::vector<uint32_t> v;
    size_t i = 0;
    while (i < s.size()) {
        size_t j = s.find(',', i);
        if (j == std::string::npos) j = s.size();
        v.push_back(static_cast<uint32_t>(parseUint(s.substr(i, j - i), what)));
        i = j + 1;
    }
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
        else if (k == "--axi-latency") a.axiLatency = parseUint(val(), "--axi-latency");
        else if (k == "--timeout") a.timeout = parseUint(val(), "--timeout");
        else usage("unknown argument " + k);
    }
    if (a.sequences.empty()) usage("--tokens is required");
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
struct Burst { uint64_t addr; uint32_t len; uint64_t readyAt; };
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
    std::vector<uint8_t> dram;
    {
        if (args.dram.empty()) usage("--dram FILE is required for a dram-mode design");
        auto t0 = std::chrono::steady_clock::now();
        FILE* f = std::fopen(args.dram.c_str(), "rb");
        if (!f) usage("cannot open DRAM image " + args.dram);
        std::fseek(f, 0, SEEK_END);
        long size = std::ftell(f);
        std::fseek(f, 0, SEEK_SET);
        dram.resize(static_cast<size_t>(size) + FORNAX_AXI_DW / 8);
        if (std::fread(dram.data(), 1, static_cast<size_t>(size), f) != static_cast<size_t>(size))
            usage("short read of DRAM image " + args.dram);
        std::fclose(f);
        dram.resize(static_cast<size_t>(size));
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "fornax-sim: loaded DRAM image %s (%ld bytes) in %.2f s\n", args.dram.c_str(), size, s);
    }
    constexpr uint32_t BEAT = FORNAX_AXI_DW / 8;
    constexpr uint32_t SIZE_LOG2 = __builtin_ctz(BEAT);
    std::deque<Burst> bursts;
    uint32_t beatInBurst = 0;
    bool rvalid = false;
    uint64_t axiBeats = 0;
    // Matrix phases (the design's perf_matrix output high): cycles, and R beats accepted in them.
    uint64_t matrixCycles = 0, matrixBeats = 0;
#endif

    FILE* out = std::fopen(args.out.c_str(), "wb");
    if (!out) usage("cannot write " + args.out);
    std::fwrite("FXSIM002", 1, 8, out);
    put32(out, FORNAX_VOCAB);
    put32(out, 0);

    Rng rng{args.seed};
    const uint64_t thr = static_cast<uint64_t>(args.stall * 4294967296.0);
    const bool stalls = thr != 0;

    std::vector<int32_t> logits(FORNAX_VOCAB);
    uint64_t cyc = 0, lastProgress = 0;
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
    bool logitReady = false, predReady = false, arReady = false;
    // Protocol check: a master's valid and data held while valid && !ready.
    bool prevLogitPending = false, prevPredPending = false, prevArPending = false;
    uint64_t prevLogitData = 0, prevPredData = 0, prevArAddr = 0;
    uint32_t prevArCtl = 0;
    const uint64_t heartbeat = 1ULL << 22;

    auto fail = [&](uint32_t st, const std::string& msg) {
        if (status == OK) { status = st; error = msg; }
    };

    top->clk = 0;
    top->rst = 1;
    bool done = false;
    while (!done) {
        const bool inReset = cyc < 4;
        // 1. drive inputs for this cycle
        top->rst = inReset;
        top->s_tok_tvalid = tokValid;
        top->s_tok_tdata = token;
        top->s_tok_tuser = first;
        top->m_logit_tready = logitReady;
        top->m_pred_tready = predReady;
#if FORNAX_DRAM
        top->m_axi_arready = arReady;
        top->m_axi_rvalid = rvalid;
        if (!bursts.empty()) {
            const Burst& b = bursts.front();
            setData(top->m_axi_rdata, dram.data() + b.addr + static_cast<uint64_t>(beatInBurst) * BEAT);
            top->m_axi_rlast = beatInBurst == b.len;
        } else {
            top->m_axi_rlast = 0;
        }
        top->m_axi_rresp = 0;
#endif
        top->clk = 0;
        top->eval();
#if VM_TRACE
        if (vcd) vcd->dump(2 * cyc);
#endif
        // 2. sample outputs
        if (inReset && cyc >= 1) {
            bool busy = top->s_tok_tready || top->m_logit_tvalid || top->m_pred_tvalid;
#if FORNAX_DRAM
            busy = busy || top->m_axi_arvalid || top->m_axi_rready;
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
        const bool arFire = !inReset && top->m_axi_arvalid && arReady;
        const bool rFire = !inReset && rvalid && top->m_axi_rready;
        const bool inMatrix = !inReset && top->perf_matrix;
        {
            const uint64_t arAddr = static_cast<uint64_t>(top->m_axi_araddr);
            const uint32_t arCtl = (static_cast<uint32_t>(top->m_axi_arlen) << 8) | (static_cast<uint32_t>(top->m_axi_arsize) << 2) | top->m_axi_arburst;
            if (prevArPending && (!top->m_axi_arvalid || arAddr != prevArAddr || arCtl != prevArCtl))
                fail(PROTOCOL, "m_axi_ar* changed while arvalid && !arready");
            prevArPending = !inReset && top->m_axi_arvalid && !arReady;
            prevArAddr = arAddr;
            prevArCtl = arCtl;
        }
        Burst newBurst{};
        if (arFire) {
            newBurst = Burst{static_cast<uint64_t>(top->m_axi_araddr), top->m_axi_arlen, cyc + 1 + args.axiLatency};
            uint64_t bytes = static_cast<uint64_t>(newBurst.len + 1) * BEAT;
            if (top->m_axi_arburst != 1) fail(AXI, "m_axi_arburst is not INCR");
            else if (top->m_axi_arsize != SIZE_LOG2) fail(AXI, "m_axi_arsize " + std::to_string(top->m_axi_arsize) + " differs from the data width");
            else if (newBurst.addr % BEAT != 0) fail(AXI, "unaligned AXI read address " + std::to_string(newBurst.addr));
            else if ((newBurst.addr >> 12) != ((newBurst.addr + bytes - 1) >> 12)) fail(AXI, "AXI burst at " + std::to_string(newBurst.addr) + " crosses a 4 KB boundary");
            else if (newBurst.addr + bytes > dram.size()) fail(AXI, "AXI read of " + std::to_string(bytes) + " bytes at " + std::to_string(newBurst.addr) + " beyond the DRAM image (" + std::to_string(dram.size()) + " bytes)");
        }
#else
        const bool arFire = false, rFire = false;
#endif
        // 3. clock edge
        top->clk = 1;
        top->eval();
        cyc++;
#if VM_TRACE
        if (vcd) vcd->dump(2 * cyc - 1);
#endif
        // 4. update harness state from this edge's handshakes
        if (tokFire || logitFire || predFire || arFire || rFire) lastProgress = cyc;
        if (tokFire) {
            tokValid = false;
            haveToken = false;
            awaiting = true;
            acceptCycle = cyc;
            predSeenSet = false;
            logitIdx = 0;
#if FORNAX_DRAM
            beatsAtAccept = axiBeats;
            matrixCyclesAtAccept = matrixCycles;
            matrixBeatsAtAccept = matrixBeats;
#endif
        }
#if FORNAX_DRAM
        if (arFire && status == OK) bursts.push_back(newBurst);
        if (inMatrix) matrixCycles++;
        if (rFire) {
            rvalid = false;
            axiBeats++;
            if (inMatrix) matrixBeats++;
            if (beatInBurst == bursts.front().len) { bursts.pop_front(); beatInBurst = 0; }
            else beatInBurst++;
        }
#endif
        if (predFire && status == OK) {
            uint32_t pred = static_cast<uint32_t>(predData);
            uint64_t cycles = predSeen - acceptCycle;
            uint64_t beats = 0, mCycles = 0, mBeats = 0;
#if FORNAX_DRAM
            beats = axiBeats - beatsAtAccept;
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
            std::fprintf(stderr, "fornax-sim: seq %zu pos %llu token %u -> %u, %llu cycles\n", seqIdx,
                         static_cast<unsigned long long>(pos), token, pred, static_cast<unsigned long long>(cycles));
            awaiting = false;
            // What to feed next: the prompt, then the hardware's own prediction (FORNAX_SIM.md).
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
        if (status != OK) done = true;
        if (!done && cyc - lastProgress > args.timeout)
            fail(TIMEOUT, "no handshake for " + std::to_string(args.timeout) + " cycles at sequence " + std::to_string(seqIdx) + " position " + std::to_string(pos));
        if (status != OK) done = true;
        if (cyc % heartbeat == 0) {
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
            std::fprintf(stderr, "fornax-sim: %.1fM cycles, %.2fM cycles/s\n", cyc / 1e6, cyc / 1e6 / s);
        }
        // 5. next cycle's inputs: five random draws in a fixed order (token valid, logit ready,
        // pred ready, arready, rvalid), each stalling with probability P.
        bool st[5] = {false, false, false, false, false};
        if (stalls)
            for (bool& s : st) s = (rng.next() >> 32) < thr;
        const bool nowReset = cyc < 4;
        if (!nowReset && haveToken && !tokValid) tokValid = !st[0];
        logitReady = !nowReset && !st[1];
        predReady = !nowReset && !st[2];
#if FORNAX_DRAM
        arReady = !nowReset && !st[3] && bursts.size() < FORNAX_AXI_MAX_OUTSTANDING;
        if (!nowReset && !rvalid && !bursts.empty() && bursts.front().readyAt <= cyc) rvalid = !st[4];
#else
        (void)arReady;
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
