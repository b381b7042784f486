package dev.fornax.golden;

/**
 * The points of the integer program that {@link Int8Engine} reports to a {@link Int8Engine.Trace}
 * hook, in execution order. The RTL's trace mode reports the same points under the same
 * {@link #key()} so the two can be compared vector by vector.
 */
public enum TraceOp {
    /** Embedding row, Q16 residual [D] (layer −1). */
    EMBED("embed"),
    /** Attention RMSNorm output, BFP15 [D]. */
    ATTN_NORM("attn_norm"),
    /** q/k/v projections with bias, Q16. */
    Q("q"),
    K("k"),
    V("v"),
    /** Per-head BFP14 before RoPE: one exponent per head (qwen3: after the per-head q/k RMSNorm). */
    Q_HEAD("q_head"),
    K_HEAD("k_head"),
    /** Per-head BFP14 after RoPE (k: as written to the KV cache). */
    Q_ROPE("q_rope"),
    K_ROPE("k_rope"),
    /** Per-kv-head BFP14 values, as written to the KV cache. */
    V_HEAD("v_head"),
    /** Attention output of every query head, Q16 [H·hd]. */
    ATTN("attn"),
    /** Attention output as o_proj input, BFP15. */
    ATTN_BFP("attn_bfp"),
    /** o_proj output, Q16 [D]. */
    O("o"),
    /** Residual stream after the attention block, Q16 [D]. */
    RESID_ATTN("resid_attn"),
    /** MLP RMSNorm output, BFP15 [D]. */
    FFN_NORM("ffn_norm"),
    GATE("gate"),
    UP("up"),
    /** act(gate)·up, BFP15 [I]. */
    GLU("glu"),
    DOWN("down"),
    /** Residual stream at the end of the layer, Q16 [D]: the hidden state compared with the float model. */
    RESID("resid"),
    /** Final RMSNorm output, BFP15 [D] (layer = number of layers). */
    FINAL_NORM("final_norm"),
    /** Logits, Q16 [vocab] (layer = number of layers). */
    LOGITS("logits");

    private final String key;

    TraceOp(String key) {
        this.key = key;
    }

    /** Stable lower-case name used in trace files. */
    public String key() {
        return key;
    }
}
