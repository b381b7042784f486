package dev.fornax.quant;

import dev.fornax.golden.Tables;
import dev.fornax.ir.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A model in the integer form of docs/NUMERICS.md: the single input of the integer golden model
 * ({@link dev.fornax.golden.Int8Engine}) and of the RTL generator. Plain data only (int8 rows,
 * (M, k) scales, int tables), so both read the same integers.
 *
 * <p>The embedding and the lm_head are two {@link QuantMatrix} views: when the model ties them they
 * share the int8 array and differ only in their scales (the input scales carry gemma's
 * float32(√D) normaliser, the output scales never do).
 *
 * @param spec      the float model's description
 * @param context   positions the KV cache holds (RoPE tables cover 0..context−1)
 * @param embedding [vocab × D] with the input scales (Q16 residual = row·M_in·2^−k_in)
 * @param lmHead    [vocab × D] with the output scales
 * @param layers    the decoder layers, in order
 * @param finalNorm the final RMSNorm gain
 * @param tables    kernel constants and lookup tables
 * @param format    INT8, or INT4 with group scales (every matrix, embedding and lm_head included)
 */
public record QuantizedModel(
        ModelSpec spec,
        int context,
        QuantMatrix embedding,
        QuantMatrix lmHead,
        List<QuantLayer> layers,
        Tables.Gain finalNorm,
        KernelTables tables,
        WeightFormat format) {

    public QuantizedModel {
        layers = List.copyOf(layers);
    }

    /** An INT8 model. */
    public QuantizedModel(ModelSpec spec, int context, QuantMatrix embedding, QuantMatrix lmHead,
            List<QuantLayer> layers, Tables.Gain finalNorm, KernelTables tables) {
        this(spec, context, embedding, lmHead, layers, finalNorm, tables, WeightFormat.INT8);
    }

    /** Whether lm_head reuses the embedding's int8 rows (the quantiser shares them exactly when the model ties them). */
    public boolean tied() {
        return spec.tiedEmbeddings();
    }

    /**
     * Every matrix in the fixed serialisation order: embedding, then per layer q, k, v, o, gate, up,
     * down, then lm_head (listed even when tied: its scales differ; check {@link #tied()} before
     * writing its rows twice).
     */
    public List<QuantMatrix> matrices() {
        List<QuantMatrix> out = new ArrayList<>(2 + 7 * layers.size());
        out.add(embedding);
        for (QuantLayer l : layers) {
            out.add(l.wq());
            out.add(l.wk());
            out.add(l.wv());
            out.add(l.wo());
            out.add(l.wGate());
            out.add(l.wUp());
            out.add(l.wDown());
        }
        out.add(lmHead);
        return out;
    }

    /** Number of int8 weights stored (a tied lm_head counted once). */
    public long weightBytes() {
        long n = 0;
        for (QuantMatrix m : matrices()) {
            n += (long) m.rows() * m.cols();
        }
        return tied() ? n - (long) lmHead.rows() * lmHead.cols() : n;
    }
}
