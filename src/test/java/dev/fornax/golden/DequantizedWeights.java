package dev.fornax.golden;

import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.quant.QuantLayer;
import dev.fornax.quant.QuantMatrix;
import dev.fornax.quant.QuantizedModel;

/**
 * The float model with every matrix replaced by its dequantised INT8 rows (q·M·2^−k) and nothing
 * else changed: run on the float engine it isolates the error of the weight quantisation from
 * that of the integer activations, so the quality report can say which one dominates.
 */
final class DequantizedWeights implements ModelWeights {
    private final ModelWeights source;
    private final QuantizedModel q;

    DequantizedWeights(ModelWeights source, QuantizedModel q) {
        this.source = source;
        this.q = q;
    }

    static Matrix of(QuantMatrix m) {
        return new Matrix() {
            @Override
            public String name() {
                return m.name() + " (dequantised)";
            }

            @Override
            public int rows() {
                return m.rows();
            }

            @Override
            public int cols() {
                return m.cols();
            }

            @Override
            public void readRow(int row, float[] dst, int offset) {
                double s = m.scale(row).value();
                for (int c = 0; c < m.cols(); c++) {
                    dst[offset + c] = (float) (m.data()[row * m.cols() + c] * s);
                }
            }
        };
    }

    @Override
    public ModelSpec spec() {
        return source.spec();
    }

    @Override
    public Matrix embedding() {
        // The embedding's input scales may carry gemma's normaliser: dequantise with the output
        // scales (the plain table), the float engine multiplies by the normaliser itself.
        return of(q.lmHead().data() == q.embedding().data() ? q.lmHead() : q.embedding());
    }

    @Override
    public Matrix lmHead() {
        return of(q.lmHead());
    }

    @Override
    public float[] finalNorm() {
        return source.finalNorm();
    }

    @Override
    public LayerWeights layer(int index) {
        LayerWeights f = source.layer(index);
        QuantLayer l = q.layers().get(index);
        return new LayerWeights(f.attnNorm(), of(l.wq()), of(l.wk()), of(l.wv()), f.bq(), f.bk(), f.bv(), of(l.wo()),
                f.ffnNorm(), of(l.wGate()), of(l.wUp()), of(l.wDown()), f.qNorm(), f.kNorm());
    }

    @Override
    public void close() {}
}
