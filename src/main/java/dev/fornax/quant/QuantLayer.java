package dev.fornax.quant;

import dev.fornax.golden.Tables;

/**
 * One decoder layer in integer form. Shapes as {@link dev.fornax.ir.LayerWeights}; biases are Q16
 * ints ({@code round(b·2^16)}) and null when the architecture has none.
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
        QuantMatrix wDown) {}
