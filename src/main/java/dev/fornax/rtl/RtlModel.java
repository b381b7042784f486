package dev.fornax.rtl;

import dev.fornax.FornaxException;
import dev.fornax.golden.Tables;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.QuantLayer;
import dev.fornax.quant.QuantMatrix;
import dev.fornax.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The generator's view of a {@link QuantizedModel}: matrices carry their Q16 biases (zeros when
 * the architecture has none), since the hardware adds a bias to every row.
 *
 * @param embedding  int8 embedding table with its input scales (× sqrt(D) for gemma)
 * @param lmHead     lm_head rows and their output scales (a tied model shares the embedding bytes)
 * @param finalGain  final RMSNorm gain
 * @param context    KV cache positions the tables were built for
 */
public record RtlModel(
        ModelSpec spec,
        int context,
        QMatrix embedding,
        List<Layer> layers,
        Tables.Gain finalGain,
        QMatrix lmHead,
        long[] epsTab,
        int[] gateTab,
        Tables.RopeTables rope,
        Tables.Scale score) {

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

    /**
     * The architectures the hardware implements. qwen3's per-head q/k RMSNorm (golden:
     * {@code IntOps.headRmsnorm}) has no RTL unit yet, so a qwen3 design would compute something
     * else than the golden model: refused, with one line, before any work.
     */
    public static void requireSupported(ModelSpec spec) {
        if (spec.qkNorm()) {
            throw new FornaxException(spec.architecture().modelType() + ": the hardware has no per-head q/k RMSNorm"
                    + " (q_norm, k_norm) yet, so this model cannot be compiled; the float engine and --engine int"
                    + " run it");
        }
    }

    public static RtlModel from(QuantizedModel q) {
        requireSupported(q.spec());
        List<Layer> layers = new ArrayList<>();
        for (QuantLayer l : q.layers()) {
            layers.add(new Layer(l.attnNorm(), of(l.wq(), l.bq()), of(l.wk(), l.bk()), of(l.wv(), l.bv()),
                    of(l.wo(), null), l.ffnNorm(), of(l.wGate(), null), of(l.wUp(), null), of(l.wDown(), null)));
        }
        return new RtlModel(q.spec(), q.context(), of(q.embedding(), null), layers, q.finalNorm(),
                of(q.lmHead(), null), q.tables().eps(), q.tables().gate(), q.tables().rope(), q.tables().score());
    }

    private static QMatrix of(QuantMatrix m, int[] bias) {
        return new QMatrix(m.name(), m.rows(), m.cols(), m.data(), m.scaleM(), m.scaleK(),
                bias == null ? new int[m.rows()] : bias, m.groupSize(), m.groupScale());
    }
}
