package dev.fornax.rtl.perf;

import dev.fornax.ir.ModelSpec;

/**
 * INT8 multiply-accumulates per token: the one definition shared by the manifest, the simulator's
 * ideal cycle count and the performance model (issue 4, "cycles per token").
 *
 * <p>Every weight matrix is counted once at its true shape (q, k, v, o, gate, up, down per layer and
 * the lm_head; lane padding excluded; the embedding is a row lookup, not a product), plus attention:
 * the scores q·K and the value sum Σ w·V each take H·head_dim products per cached position, so a
 * token at 0-based position {@code pos} (which attends to pos + 1 positions) adds
 * 2·H·head_dim·(pos + 1) per layer. Biases, norms, RoPE and the activation are vector work and not
 * counted.
 */
public final class Macs {
    private Macs() {}

    /** Σ rows·cols over every weight matrix of the model, lm_head included. */
    public static long matrices(ModelSpec s) {
        long d = s.hidden();
        long q = s.qDim();
        long kv = s.kvDim();
        long perLayer = q * d // wq: q rows × d cols
                + 2 * kv * d // wk, wv
                + d * q // wo: d rows × q cols
                + 3 * (long) s.intermediate() * d; // gate, up (i × d) and down (d × i)
        return perLayer * s.layers() + (long) s.vocab() * d;
    }

    /** Attention MACs for one position of context, over all layers: 2·H·head_dim·layers. */
    public static long attentionPerPosition(ModelSpec s) {
        return 2L * s.heads() * s.headDim() * s.layers();
    }

    /** MACs of the token at 0-based position {@code pos}: matrices + 2·H·hd·(pos + 1) per layer. */
    public static long perToken(ModelSpec s, int pos) {
        if (pos < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + pos);
        }
        return matrices(s) + attentionPerPosition(s) * (pos + 1L);
    }

    /** The ideal cycles of that token on {@code lanes} MACs per cycle: MACs / LANES. */
    public static double idealCycles(ModelSpec s, int pos, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be >= 1, got " + lanes);
        }
        return perToken(s, pos) / (double) lanes;
    }
}
