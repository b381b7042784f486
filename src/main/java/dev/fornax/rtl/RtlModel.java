package dev.fornax.rtl;

import dev.fornax.golden.Tables;
import dev.fornax.ir.ModelSpec;
import java.util.List;

/**
 * Everything the RTL generator needs from a quantized model: integer weights, scales, gains and
 * the constant tables of docs/NUMERICS.md. Built by {@link StandInQuantizer} until the golden
 * model's {@code dev.fornax.quant.QuantizedModel} is available, then adapted from it.
 *
 * @param embedding  int8 embedding table with its input scales (× sqrt(D) for gemma)
 * @param lmHead     lm_head rows and their output scales (for tied models: the embedding bytes)
 * @param finalGain  final RMSNorm gain
 * @param epsTab     EPS[s] of the RMSNorm (same D and eps for every norm)
 */
public record RtlModel(
        ModelSpec spec,
        QMatrix embedding,
        List<Layer> layers,
        Tables.Gain finalGain,
        QMatrix lmHead,
        long[] epsTab,
        int[] gateTab) {

    public RtlModel {
        layers = List.copyOf(layers);
    }

    /** One decoder layer: norms and the seven projections. */
    public record Layer(
            Tables.Gain attnGain,
            QMatrix wq,
            QMatrix wk,
            QMatrix wv,
            QMatrix wo,
            Tables.Gain ffnGain,
            QMatrix wGate,
            QMatrix wUp,
            QMatrix wDown) {}
}
