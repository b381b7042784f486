package dev.fornax.sim;

import dev.fornax.ir.ModelSpec;
import dev.fornax.rtl.perf.Macs;

/**
 * The ideal cycles of one position: MACs / LANES, where the MACs are every weight matrix once
 * (q, k, v, o, gate, up, down per layer and the lm_head; no padding, the embedding is a lookup)
 * plus attention, 2·H·head_dim·(pos + 1) per layer (scores and the value product); the formula
 * itself lives in {@link Macs}.
 */
public final class IdealCycles {
    private IdealCycles() {}

    public static long matrixMacs(ModelSpec s) {
        return Macs.matrices(s);
    }

    public static long macs(ModelSpec s, int pos) {
        return Macs.perToken(s, pos);
    }

    public static double at(ModelSpec s, int lanes, int pos) {
        return macs(s, pos) / (double) lanes;
    }
}
