package dev.fornax.rtl;

import dev.fornax.golden.Tables;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.ir.NormForm;
import java.util.ArrayList;
import java.util.List;

/**
 * Float weights → {@link RtlModel} by the rules of docs/NUMERICS.md (INT8 per output row,
 * s_r = max|W_r|/127, round half away from zero, scale as (M, k); Q16 biases; quantised gains).
 * A stand-in until {@code dev.fornax.quant.QuantizedModel} lands; the generator only sees RtlModel.
 */
public final class StandInQuantizer {
    private StandInQuantizer() {}

    public static RtlModel quantize(ModelWeights w) {
        ModelSpec s = w.spec();
        int d = s.hidden();
        boolean onePlus = s.normForm() == NormForm.ONE_PLUS_WEIGHT;
        QMatrix emb = quantize(w.embedding(), null, s.scaleEmbeddings() ? (float) Math.sqrt(d) : 1f);
        List<RtlModel.Layer> layers = new ArrayList<>();
        for (int l = 0; l < s.layers(); l++) {
            LayerWeights lw = w.layer(l);
            layers.add(new RtlModel.Layer(
                    Tables.Gain.of(lw.attnNorm(), onePlus, d),
                    quantize(lw.wq(), lw.bq(), 1f),
                    quantize(lw.wk(), lw.bk(), 1f),
                    quantize(lw.wv(), lw.bv(), 1f),
                    quantize(lw.wo(), null, 1f),
                    Tables.Gain.of(lw.ffnNorm(), onePlus, d),
                    quantize(lw.wGate(), null, 1f),
                    quantize(lw.wUp(), null, 1f),
                    quantize(lw.wDown(), null, 1f)));
        }
        QMatrix head = quantize(w.lmHead(), null, 1f);
        if (s.tiedEmbeddings()) {
            // same int8 table, its own (plain) row scales: the hardware stores the bytes once
            head = new QMatrix(head.name(), head.rows(), head.cols(), emb.q(), head.m(), head.k(), head.bias());
        }
        return new RtlModel(s, emb, layers, Tables.Gain.of(w.finalNorm(), onePlus, d), head,
                Tables.eps(d, s.normEps()), Tables.gate(s.activation()));
    }

    /** Per-row INT8 with scale (M, k) of max|row|/127 × extra; bias in Q16. */
    static QMatrix quantize(Matrix mat, float[] bias, float extra) {
        int rows = mat.rows();
        int cols = mat.cols();
        byte[] q = new byte[rows * cols];
        int[] m = new int[rows];
        int[] k = new int[rows];
        int[] b = new int[rows];
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            mat.readRow(r, row, 0);
            double mx = 0;
            for (float v : row) {
                mx = Math.max(mx, Math.abs(v));
            }
            double sr = mx / 127.0;
            for (int c = 0; c < cols; c++) {
                q[r * cols + c] = sr == 0 ? 0 : (byte) Math.max(-127, Math.min(127, Math.round(Math.abs(row[c]) * 127.0 / mx)
                        * (long) Math.signum(row[c])));
            }
            Tables.Scale sc = Tables.Scale.of(sr * extra);
            m[r] = sc.m();
            k[r] = sc.k();
            b[r] = bias == null ? 0 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(bias[r] * 65536.0)));
        }
        return new QMatrix(mat.name(), rows, cols, q, m, k, b);
    }
}
