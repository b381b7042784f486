package dev.fornax.report;

import dev.fornax.engine.Parallel;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelWeights;
import dev.fornax.quant.Quantizer;
import java.util.ArrayList;
import java.util.List;

/**
 * How far each INT8 weight matrix is from its float original: every row quantised exactly as the
 * compiler does ({@link Quantizer#quantizeRow}: s = max|w|/127, q = round(w/s)), dequantised as
 * s·q, and compared with the float row. Figures per matrix: the relative RMS error
 * ‖W − s·Q‖ / ‖W‖ (Frobenius) and the largest |w − s·q|, with the largest |w| for scale.
 * Per-row sums are kept and added in row order, so the figures do not depend on the thread count.
 */
final class QuantError {
    private QuantError() {}

    /**
     * @param layer -1 for the embedding and lm_head
     * @param kind  embed, q, k, v, o, gate, up, down, lm_head
     */
    record Of(String name, int layer, String kind, int rows, int cols, double sumSqWeight, double sumSqError,
            double maxAbsError, double maxAbsWeight) {
        double relRms() {
            return sumSqWeight == 0 ? 0 : Math.sqrt(sumSqError / sumSqWeight);
        }
    }

    /** Every matrix in stream order: embedding; per layer q, k, v, o, gate, up, down; an untied lm_head. */
    static List<Of> measure(ModelWeights w, Parallel parallel) {
        List<Of> out = new ArrayList<>();
        out.add(of(w.embedding(), -1, "embed", parallel));
        for (int l = 0; l < w.spec().layers(); l++) {
            LayerWeights lw = w.layer(l);
            out.add(of(lw.wq(), l, "q", parallel));
            out.add(of(lw.wk(), l, "k", parallel));
            out.add(of(lw.wv(), l, "v", parallel));
            out.add(of(lw.wo(), l, "o", parallel));
            out.add(of(lw.wGate(), l, "gate", parallel));
            out.add(of(lw.wUp(), l, "up", parallel));
            out.add(of(lw.wDown(), l, "down", parallel));
        }
        if (!w.spec().tiedEmbeddings()) {
            out.add(of(w.lmHead(), -1, "lm_head", parallel));
        }
        return out;
    }

    static Of of(Matrix m, int layer, String kind, Parallel parallel) {
        int rows = m.rows();
        int cols = m.cols();
        double[] sqW = new double[rows];
        double[] sqE = new double[rows];
        double[] maxE = new double[rows];
        double[] maxW = new double[rows];
        parallel.forRange(rows, (from, to, worker) -> {
            float[] row = new float[cols];
            byte[] q = new byte[cols];
            for (int r = from; r < to; r++) {
                m.readRow(r, row, 0);
                double s = Quantizer.quantizeRow(row, cols, q, 0, m.name(), r);
                double w2 = 0;
                double e2 = 0;
                double me = 0;
                double mw = 0;
                for (int c = 0; c < cols; c++) {
                    double wv = row[c];
                    double e = wv - s * q[c];
                    w2 += wv * wv;
                    e2 += e * e;
                    me = Math.max(me, Math.abs(e));
                    mw = Math.max(mw, Math.abs(wv));
                }
                sqW[r] = w2;
                sqE[r] = e2;
                maxE[r] = me;
                maxW[r] = mw;
            }
        });
        double w2 = 0;
        double e2 = 0;
        double me = 0;
        double mw = 0;
        for (int r = 0; r < rows; r++) {
            w2 += sqW[r];
            e2 += sqE[r];
            me = Math.max(me, maxE[r]);
            mw = Math.max(mw, maxW[r]);
        }
        return new Of(m.name(), layer, kind, rows, cols, w2, e2, me, mw);
    }
}
