package dev.fornax.rtl;

import dev.fornax.ir.ModelSpec;

/**
 * Analytic cycle model of the core's schedule (the ops run one after another; see
 * docs/HARDWARE.md "Timing"). Used for the manifest's prediction; the simulator measures the truth.
 */
public final class Schedule {
    private Schedule() {}

    /** Fixed cycles per op: dispatch + settle. */
    static final int OP_OVERHEAD = 10;
    /** Matrix pipeline fill: fire, convert, multiply + tree, accumulate, requant, bias. */
    static int matvecLatency(int lanes) {
        return 9 + CoreParams.log2(lanes);
    }

    /**
     * Attention of all heads: score rows back to back (2 cycles per head to load q), a drain, value
     * rows back to back; head h's value rows wait for head h-2's output (recip + hd requants), which
     * only binds while a head has fewer rows than that output takes.
     */
    static long attention(int heads, int hd, int lg, int pos) {
        long rows = pos + 1;
        long score = heads * (rows + 3) + lg + 10;
        long outputTime = hd + 14;
        long perHead = Math.max(rows + 1, (outputTime + 1) / 2);
        long value = heads * perHead + outputTime + 6;
        return score + value;
    }

    public static long predictCycles(ModelSpec s, Layout layout, int lanes, int pos) {
        long c = 0;
        int d = s.hidden();
        int hd = s.headDim();
        c += d + 12 + OP_OVERHEAD; // embed
        for (int l = 0; l < s.layers(); l++) {
            for (Layout.Slot sl : layout.layer(l)) {
                c += sl.beats() + matvecLatency(lanes) + OP_OVERHEAD;
            }
            c += 2 * (2L * d + 16 + OP_OVERHEAD); // two norms
            c += (long) (s.heads() + 2 * s.kvHeads()) * hd / 2 + 3 * (6 + OP_OVERHEAD); // heads
            int lg = CoreParams.bits(hd - 1);
            c += attention(s.heads(), hd, lg, pos) + OP_OVERHEAD;
            c += s.intermediate() + 4 + OP_OVERHEAD; // glu
        }
        c += 2L * d + 16 + OP_OVERHEAD;
        c += layout.lmHead().beats() + matvecLatency(lanes) + OP_OVERHEAD;
        return c;
    }
}
