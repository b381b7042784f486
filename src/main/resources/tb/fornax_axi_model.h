// Fornax harness memory model: the AXI4 read slaves behind a design's read ports, shared by the
// core harness (fornax_harness.cpp) and the kernel harness (fornax_kernel_bench.h) so that every
// simulation of a design sees the same memory. fornax_tb.v (Icarus core testbench) implements the
// same rules in Verilog, cycle for cycle. docs/SIMULATION.md, "Memory model".
//
// Per port: bursts are served in order, the first beat `latency` cycles after the AR handshake
// (DDR4/HBM at 250-300 MHz: 60-200 cycles, FIELD-NOTES §7); at most `maxOutstanding` bursts are
// accepted and not yet delivered; refresh-like blackouts (every N cycles, C cycles without AR
// acceptance or read data, staggered over the ports); a bandwidth cap of NUM beats every DEN
// cycles; the Nth burst over all ports (1-based, in port order within a cycle) answers SLVERR.
// Every accepted burst is checked against the AXI4 rules and the port's region.
//
// A cycle, as both harnesses run it: drive the design's inputs from out() (clock low), settle,
// sample() every port with the design's outputs, raise the clock, edge(), then next() prepares the
// following cycle's arready/rvalid from the random stall draws.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

namespace fxaxi {

// The harness status codes these checks end a run with (shared with dev.fornax.sim.SimResults).
constexpr uint32_t PROTOCOL = 2;
constexpr uint32_t AXI = 4;

inline std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

struct Config {
    uint32_t beatBytes = 4;           // data bytes per beat (every port of a model has the same width)
    uint64_t maxBurst = 256;          // longest burst the design may issue, beats
    size_t maxOutstanding = 32;       // bursts accepted and not yet delivered, per port
    uint64_t blackoutEvery = 0, blackoutCycles = 0;
    uint64_t rateNum = 1, rateDen = 1;  // each port delivers at most rateNum beats every rateDen cycles
    uint64_t injectRresp = 0;         // 1-based burst number (over all ports) answered with SLVERR; 0: none
};

// The design's read-address and read-ready outputs of one port, sampled after the settle.
struct ArIn {
    uint64_t araddr = 0;
    uint32_t arlen = 0, arsize = 0, arburst = 0, arid = 0, arprot = 0, arcache = 3, arqos = 0, arlock = 0;
    bool arvalid = false, rready = false;
};

struct Burst { uint64_t offset; uint32_t len; uint64_t readyAt; uint64_t index; bool slverr; };

// One read port: its region (the bytes at [base, base + bytes) of the address space), the bursts
// accepted and not yet delivered (in order), and the inputs it drives.
struct Port {
    std::string name;                 // signal prefix for messages, e.g. "m_axi_w0_"
    const uint8_t* region = nullptr;
    uint64_t base = 0, bytes = 0, latency = 150;
    std::deque<Burst> bursts;
    uint32_t beatInBurst = 0;
    bool rvalid = false, arReady = false;
    bool prevArPending = false;
    uint64_t prevArAddr = 0, prevArCtl = 0;
    uint64_t beats = 0;               // R handshakes since the start
    uint64_t credit = 0;              // bandwidth cap: a beat may be presented when credit >= rateDen
    // this cycle's handshakes (sample) and the burst the AR handshake adds at the edge
    bool arFire = false, rFire = false;
    Burst newBurst{0, 0, 0, 0, false};

    // The read-data channel this cycle: data of the current beat (null when no burst is pending).
    const uint8_t* rdata(uint32_t beatBytes) const {
        if (bursts.empty()) return nullptr;
        return region + bursts.front().offset + static_cast<uint64_t>(beatInBurst) * beatBytes;
    }
    bool rlast() const { return !bursts.empty() && beatInBurst == bursts.front().len; }
    uint32_t rresp() const { return !bursts.empty() && bursts.front().slverr ? 2u : 0u; }
};

struct Model {
    Config cfg;
    std::vector<Port> ports;
    uint64_t arCount = 0;             // AR handshakes over all ports
    bool injectStarted = false;       // a beat of the SLVERR burst was delivered
    bool injected = false;            // its last beat was delivered
    uint64_t injectedAt = 0;

    void init() {
        for (Port& p : ports) p.credit = cfg.rateDen;
    }

    uint64_t beats() const {
        uint64_t n = 0;
        for (const Port& p : ports) n += p.beats;
        return n;
    }

    // staggered per port, as independent channels refresh at different times
    bool blackout(size_t i, uint64_t c) const {
        return cfg.blackoutEvery != 0
               && (c + i * (cfg.blackoutEvery / ports.size())) % cfg.blackoutEvery < cfg.blackoutCycles;
    }

    // After the settle of cycle `cyc`: port i's handshakes and the checks of an accepted burst.
    // `afterError`: the design has reported an AXI error, so it may not start a new burst. A broken
    // rule calls fail(status, message) (which may throw or record the first failure).
    template <class Fail> void sample(size_t i, const ArIn& in, bool inReset, bool afterError, uint64_t cyc, Fail&& fail) {
        Port& p = ports[i];
        const std::string& name = p.name;
        p.arFire = !inReset && in.arvalid && p.arReady;
        // a transfer is a transfer, reset or not: the memory is not reset with the design
        p.rFire = p.rvalid && in.rready;
        const uint64_t arCtl = (static_cast<uint64_t>(in.arlen) << 32) | (static_cast<uint64_t>(in.arsize) << 24)
                               | (static_cast<uint64_t>(in.arburst) << 20) | (static_cast<uint64_t>(in.arid) << 16)
                               | (static_cast<uint64_t>(in.arprot) << 12) | (static_cast<uint64_t>(in.arcache) << 8)
                               | (static_cast<uint64_t>(in.arqos) << 4) | in.arlock;
        if (p.prevArPending && (!in.arvalid || in.araddr != p.prevArAddr || arCtl != p.prevArCtl))
            fail(PROTOCOL, name + "ar* changed while arvalid && !arready");
        // after an error only a request already waiting for arready may complete
        if (afterError && !inReset && in.arvalid && !p.prevArPending)
            fail(PROTOCOL, name + "arvalid: a new read burst after axi_error");
        p.prevArPending = !inReset && in.arvalid && !p.arReady;
        p.prevArAddr = in.araddr;
        p.prevArCtl = arCtl;
        if (!p.arFire) return;
        const uint64_t len = in.arlen;
        const uint64_t bytes = (len + 1) * cfg.beatBytes;
        const uint32_t sizeLog2 = static_cast<uint32_t>(__builtin_ctz(cfg.beatBytes));
        const uint64_t arAddr = in.araddr;
        arCount++;
        p.newBurst = Burst{arAddr - p.base, static_cast<uint32_t>(len), cyc + 1 + p.latency, arCount, cfg.injectRresp == arCount};
        if (in.arburst != 1) fail(AXI, name + "arburst is not INCR");
        else if (in.arsize != sizeLog2) fail(AXI, name + "arsize " + std::to_string(in.arsize) + " differs from the data width");
        else if (len + 1 > cfg.maxBurst) fail(AXI, name + "arlen " + std::to_string(len) + " exceeds the design's longest burst (" + std::to_string(cfg.maxBurst) + " beats)");
        else if (arAddr % cfg.beatBytes != 0) fail(AXI, "unaligned AXI read address " + hex(arAddr) + " on port " + std::to_string(i));
        else if ((arAddr >> 12) != ((arAddr + bytes - 1) >> 12)) fail(AXI, "AXI burst at " + hex(arAddr) + " on port " + std::to_string(i) + " crosses a 4 KB boundary");
        else if (arAddr < p.base || arAddr - p.base + bytes > p.bytes) fail(AXI, "AXI read of " + std::to_string(bytes) + " bytes at " + hex(arAddr) + " outside port " + std::to_string(i) + "'s region [" + hex(p.base) + ", " + hex(p.base + p.bytes) + ")");
        else if (!(in.arcache & 2) && (in.arcache & 12)) fail(AXI, name + "arcache " + std::to_string(in.arcache) + " is illegal (ARCACHE[1] = 0 requires ARCACHE[3:2] = 0)");
        else if (in.arlock != 0) fail(AXI, name + "arlock requests an exclusive access");
    }

    // After the rising edge (cyc = the cycle that follows): port i takes its accepted burst (when
    // `accept`: the run has not failed) and advances past a delivered beat.
    void edge(size_t i, uint64_t cyc, bool accept) {
        Port& p = ports[i];
        if (p.arFire && accept) p.bursts.push_back(p.newBurst);
        if (!p.rFire) return;
        p.rvalid = false;
        p.beats++;
        p.credit -= cfg.rateDen;
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

    // Port i's arready and rvalid for cycle `cyc`, from its stall draws.
    void next(size_t i, uint64_t cyc, bool inReset, bool stallAr, bool stallR) {
        Port& p = ports[i];
        const bool off = blackout(i, cyc);
        p.arReady = !inReset && !stallAr && !off && p.bursts.size() < cfg.maxOutstanding;
        // the channel's bandwidth: rateNum beats every rateDen cycles (credit capped at one beat)
        p.credit = std::min(p.credit + cfg.rateNum, cfg.rateDen + cfg.rateNum - 1);
        if (!p.rvalid && !off && p.credit >= cfg.rateDen && !p.bursts.empty() && p.bursts.front().readyAt <= cyc)
            p.rvalid = !stallR;
    }
};

}  // namespace fxaxi
