package dev.fornax.quant;

import dev.fornax.golden.Tables;
import dev.fornax.ir.ModelSpec;

/**
 * Every constant and lookup table the integer kernels read, derived from the model description by
 * {@link Tables} (the only place floating point touches the integer model). The RTL generator
 * writes these arrays as ROMs.
 *
 * @param eps       EPS[s] = round(D·eps·2^(32−2s)), RMSNorm input shift s = 0..17
 * @param rsqrt     193-entry 1/√x table (Q15) for RMSNorm
 * @param exp2      257-entry 2^−x table (Q15) for the softmax
 * @param recip     257-entry reciprocal table for the softmax normaliser
 * @param gate      1025-entry f(x) table of the gated-MLP activation act(x) = x·f(x)
 * @param rope      Q14 cos/sin for positions 0..context−1
 * @param score     the attention score scale log2(e)/√head_dim as (M, k)
 * @param epsHead   EPS of the per-head q/k RMSNorm, round(hd·eps·2^(32−2s)) (qwen3), else null
 */
public record KernelTables(
        long[] eps, int[] rsqrt, int[] exp2, int[] recip, int[] gate, Tables.RopeTables rope, Tables.Scale score,
        long[] epsHead) {

    /** The tables of {@code spec} for a KV cache of {@code context} positions. */
    public static KernelTables of(ModelSpec spec, int context) {
        return new KernelTables(
                Tables.eps(spec.hidden(), spec.normEps()),
                Tables.rsqrt(),
                Tables.exp2(),
                Tables.recip(),
                Tables.gate(spec.activation()),
                Tables.RopeTables.of(spec.rope().inverseFrequencies(spec.headDim()), context),
                Tables.scoreScale(spec.headDim()),
                spec.qkNorm() ? Tables.eps(spec.headDim(), spec.normEps()) : null);
    }
}
