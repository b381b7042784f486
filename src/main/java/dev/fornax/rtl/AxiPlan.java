package dev.fornax.rtl;

import dev.fornax.FornaxException;

/**
 * How a --weights dram design reads its image: P AXI4 read ports of W bits, each carrying
 * SL = LANES/P bytes of every weight beat (a lane group) and every P-th row constant, bursts of
 * up to {@code maxBurst} beats, and FIFOs deep enough to keep {@code memLatency} cycles of reads in
 * flight (fornax_axi_rport). One source for the RTL parameters, the image layout and the manifest.
 *
 * @param lanes      INT8 MACs per cycle (bytes of a weight beat)
 * @param ports      read ports P, a power of two in 1..32 that divides LANES
 * @param dataWidth  bits per port, a power of two in 64..1024
 * @param maxBurst   longest burst in beats, a power of two, at most 256 and 4096 / (W/8) (the 4 KB rule)
 * @param memLatency the read latency, in cycles, the FIFOs are sized for
 */
public record AxiPlan(int lanes, int ports, int dataWidth, int maxBurst, int memLatency) {
    public static final int MAX_PORTS = 32;
    public static final int DEFAULT_MEM_LATENCY = 256;
    /** Cycles of the master's own pipelines (credit return, AR and R registers, FIFO read, join) on top of the memory's latency. */
    static final int PIPELINE_SLACK = 16;
    /** Longest constant burst: a row constant is 8 bytes, so short bursts keep the constant FIFO small. */
    static final int MAX_CONST_BURST = 16;

    public AxiPlan {
        if (ports < 1 || ports > MAX_PORTS || Integer.bitCount(ports) != 1) {
            throw new FornaxException("--axi-ports must be a power of two in 1.." + MAX_PORTS + ", got " + ports);
        }
        if (lanes % ports != 0) {
            throw new FornaxException("--axi-ports " + ports + " must divide --lanes " + lanes
                    + " (every port carries an equal lane group of each weight beat)");
        }
        if (dataWidth < 64 || dataWidth > 1024 || Integer.bitCount(dataWidth) != 1) {
            throw new FornaxException("--axi-width must be a power of two in 64..1024, got " + dataWidth);
        }
        int limit = burstLimit(dataWidth);
        if (maxBurst == 0) {
            maxBurst = limit;
        }
        if (maxBurst < 1 || maxBurst > limit || Integer.bitCount(maxBurst) != 1) {
            throw new FornaxException("--axi-burst must be a power of two in 1.." + limit + " beats at " + dataWidth
                    + " bits (AXI4: at most 256 beats, never across 4 KB), got " + maxBurst);
        }
        if (memLatency < 1 || memLatency > 65536) {
            throw new FornaxException("--mem-latency must be in 1..65536 cycles, got " + memLatency);
        }
    }

    /** The longest burst AXI4 allows at this width: 256 beats, and no more than 4 KB. */
    public static int burstLimit(int dataWidth) {
        return Math.min(256, 4096 / (dataWidth / 8));
    }

    /** Bytes per AXI beat. */
    public int beatBytes() {
        return dataWidth / 8;
    }

    /** Bytes of each weight beat that one port carries. */
    public int sliceBytes() {
        return lanes / ports;
    }

    public int maxConstBurst() {
        return Math.min(maxBurst, MAX_CONST_BURST);
    }

    /**
     * Weight FIFO per port, in AXI beats: the beats in flight at the port's rate (one beat per
     * cycle, or fewer when its slice is narrower than a beat) over the latency and the master's
     * pipelines, plus two bursts (one being issued while one drains), rounded up to a power of two.
     */
    public int weightFifo() {
        double rate = Math.min(1.0, sliceBytes() / (double) beatBytes());
        return pow2(Math.max(64, (long) Math.ceil(rate * (memLatency + PIPELINE_SLACK)) + 2L * maxBurst));
    }

    /**
     * Constant FIFO per port, in AXI beats: at most one row constant per cycle in all, so 8/P bytes
     * per cycle on one port, over the latency, plus two constant bursts.
     */
    public int constFifo() {
        double rate = 8.0 / ports / beatBytes();
        return pow2(Math.max(32, (long) Math.ceil(rate * (memLatency + PIPELINE_SLACK)) + 2L * maxConstBurst()));
    }

    private static int pow2(long v) {
        long p = 1;
        while (p < v) {
            p <<= 1;
        }
        if (p > (1 << 15)) {
            throw new FornaxException("--mem-latency is too large: a read FIFO of " + p + " beats");
        }
        return (int) p;
    }
}
