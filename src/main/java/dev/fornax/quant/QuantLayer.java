package dev.fornax.quant;

import dev.fornax.golden.Tables;

/**
 * One decoder layer in integer form. Shapes as {@link dev.fornax.ir.LayerWeights}; biases are Q16
 * ints ({@code round(b·2^16)}) and null when the architecture has none; so are the per-head q/k
 * norm gains {@code qNorm}, {@code kNorm} (qwen3: {@link Tables.Gain} of the [hd] weight, ×√hd).
 */
public record QuantLayer(
        Tables.Gain attnNorm,
        QuantMatrix wq,
        QuantMatrix wk,
        QuantMatrix wv,
        int[] bq,
        int[] bk,
        int[] bv,
        QuantMatrix wo,
        Tables.Gain ffnNorm,
        QuantMatrix wGate,
        QuantMatrix wUp,
        QuantMatrix wDown,
        Tables.Gain qNorm,
        Tables.Gain kNorm) {

    /** A layer without q/k norms. */
    public QuantLayer(Tables.Gain attnNorm, QuantMatrix wq, QuantMatrix wk, QuantMatrix wv, int[] bq, int[] bk, int[] bv,
            QuantMatrix wo, Tables.Gain ffnNorm, QuantMatrix wGate, QuantMatrix wUp, QuantMatrix wDown) {
        this(attnNorm, wq, wk, wv, bq, bk, bv, wo, ffnNorm, wGate, wUp, wDown, null, null);
    }
}
