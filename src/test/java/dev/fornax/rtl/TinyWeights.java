package dev.fornax.rtl;

import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.ir.NormForm;
import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random float weights of a given shape, in memory (test stand-in for a loaded model). */
final class TinyWeights implements ModelWeights {
    private final ModelSpec spec;
    private final Matrix embedding;
    private final Matrix lmHead;
    private final float[] finalNorm;
    private final List<LayerWeights> layers = new ArrayList<>();

    static ModelSpec spec(Architecture arch, int hidden, int layers, int heads, int kvHeads, int headDim,
            int inter, int vocab, int context) {
        boolean gemma = arch == Architecture.GEMMA;
        return new ModelSpec(arch, hidden, layers, heads, kvHeads, headDim, inter, vocab, context, 1e-5,
                gemma ? NormForm.ONE_PLUS_WEIGHT : NormForm.WEIGHT,
                new Rope(arch == Architecture.QWEN2 ? 1e6 : 1e4, new RopeScaling.None()),
                gemma ? Activation.GELU_TANH : Activation.SILU,
                arch == Architecture.QWEN2, arch != Architecture.PHI3, gemma, 1, List.of(2));
    }

    TinyWeights(ModelSpec s, long seed) {
        this.spec = s;
        Random rnd = new Random(seed);
        int d = s.hidden();
        int q = s.heads() * s.headDim();
        int kv = s.kvHeads() * s.headDim();
        embedding = mat("embed", s.vocab(), d, 0.8, rnd);
        for (int l = 0; l < s.layers(); l++) {
            layers.add(new LayerWeights(
                    norm(d, rnd, s.normForm()),
                    mat("l" + l + ".wq", q, d, 1.0, rnd),
                    mat("l" + l + ".wk", kv, d, 1.0, rnd),
                    mat("l" + l + ".wv", kv, d, 1.0, rnd),
                    s.qkvBias() ? vec(q, 0.2, rnd) : null,
                    s.qkvBias() ? vec(kv, 0.2, rnd) : null,
                    s.qkvBias() ? vec(kv, 0.2, rnd) : null,
                    mat("l" + l + ".wo", d, q, 1.0, rnd),
                    norm(d, rnd, s.normForm()),
                    mat("l" + l + ".gate", s.intermediate(), d, 1.5, rnd),
                    mat("l" + l + ".up", s.intermediate(), d, 1.0, rnd),
                    mat("l" + l + ".down", d, s.intermediate(), 1.0, rnd)));
        }
        finalNorm = norm(d, rnd, s.normForm());
        lmHead = s.tiedEmbeddings() ? embedding : mat("lm_head", s.vocab(), d, 1.0, rnd);
    }

    private static float[] norm(int n, Random rnd, NormForm f) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((f == NormForm.ONE_PLUS_WEIGHT ? 0 : 1) + 0.3 * rnd.nextGaussian());
        }
        return v;
    }

    private static float[] vec(int n, double scale, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * rnd.nextGaussian());
        }
        return v;
    }

    private static Matrix mat(String name, int rows, int cols, double gain, Random rnd) {
        float[] data = vec(rows * cols, gain / Math.sqrt(cols), rnd);
        return new Matrix() {
            public String name() {
                return name;
            }

            public int rows() {
                return rows;
            }

            public int cols() {
                return cols;
            }

            public void readRow(int row, float[] dst, int offset) {
                System.arraycopy(data, row * cols, dst, offset, cols);
            }
        };
    }

    public ModelSpec spec() {
        return spec;
    }

    public Matrix embedding() {
        return embedding;
    }

    public Matrix lmHead() {
        return lmHead;
    }

    public float[] finalNorm() {
        return finalNorm;
    }

    public LayerWeights layer(int index) {
        return layers.get(index);
    }

    public void close() {}
}
