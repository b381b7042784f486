package dev.fornax.sim;

import dev.fornax.ir.ModelSpec;

/**
 * The ideal cycles of one position: MACs / LANES, where the MACs are every weight matrix once
 * (q, k, v, o, gate, up, down per layer and the lm_head; no padding, the embedding is a lookup)
 * plus attention, 2·H·head_dim·(pos + 1) per layer (scores and the value product).
 */
public final class IdealCycles {
    private IdealCycles() {}

    public static long matrixMacs(ModelSpec s) {
        long d = s.hidden();
        long q = (long) s.heads() * s.headDim();
        long kv = (long) s.kvHeads() * s.headDim();
        long perLayer = d * q + 2 * d * kv + q * d + 3 * d * s.intermediate();
        return perLayer * s.layers() + (long) s.vocab() * d;
    }

    public static long macs(ModelSpec s, int pos) {
        return matrixMacs(s) + 2L * s.heads() * s.headDim() * (pos + 1L) * s.layers();
    }

    public static double at(ModelSpec s, int lanes, int pos) {
        return macs(s, pos) / (double) lanes;
    }
}
