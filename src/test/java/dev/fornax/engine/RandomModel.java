package dev.fornax.engine;

import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.ir.NormForm;
import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import java.util.List;
import java.util.Random;

/**
 * In-memory random-weight models for engine unit tests that need no loader: each architecture's
 * options (GQA, biases, gemma norm/normaliser/GELU, untied head, qwen3 q/k norms) on tiny dims.
 */
final class RandomModel implements ModelWeights {
    record ArrayMatrix(String name, int rows, int cols, float[] data) implements Matrix {
        @Override
        public void readRow(int row, float[] dst, int offset) {
            System.arraycopy(data, row * cols, dst, offset, cols);
        }
    }

    private final ModelSpec spec;
    private final ArrayMatrix embedding;
    private final ArrayMatrix lmHead;
    private final float[] finalNorm;
    private final LayerWeights[] layers;

    private final boolean bf16;

    private RandomModel(ModelSpec spec, long seed, boolean bf16) {
        this.spec = spec;
        this.bf16 = bf16;
        Random rnd = new Random(seed);
        int d = spec.hidden();
        int qDim = spec.heads() * spec.headDim();
        int kvDim = spec.kvHeads() * spec.headDim();
        int inter = spec.intermediate();
        this.embedding = matrix(rnd, "embed_tokens", spec.vocab(), d, 1.0f);
        this.lmHead = spec.tiedEmbeddings() ? embedding : matrix(rnd, "lm_head", spec.vocab(), d, 0.2f);
        boolean gemma = spec.normForm() == NormForm.ONE_PLUS_WEIGHT;
        this.finalNorm = norm(rnd, d, gemma);
        this.layers = new LayerWeights[spec.layers()];
        for (int l = 0; l < spec.layers(); l++) {
            String p = "layers." + l + ".";
            layers[l] = new LayerWeights(
                    norm(rnd, d, gemma),
                    matrix(rnd, p + "q_proj", qDim, d, 0.3f),
                    matrix(rnd, p + "k_proj", kvDim, d, 0.3f),
                    matrix(rnd, p + "v_proj", kvDim, d, 0.3f),
                    spec.qkvBias() ? vector(rnd, qDim, 0.5f) : null,
                    spec.qkvBias() ? vector(rnd, kvDim, 0.5f) : null,
                    spec.qkvBias() ? vector(rnd, kvDim, 0.5f) : null,
                    matrix(rnd, p + "o_proj", d, qDim, 0.3f),
                    norm(rnd, d, gemma),
                    matrix(rnd, p + "gate_proj", inter, d, 0.3f),
                    matrix(rnd, p + "up_proj", inter, d, 0.3f),
                    matrix(rnd, p + "down_proj", d, inter, 0.3f),
                    spec.qkNorm() ? norm(rnd, spec.headDim(), false) : null,
                    spec.qkNorm() ? norm(rnd, spec.headDim(), false) : null);
        }
    }

    /** A llama-family spec with the given knobs; the other fields take llama defaults. */
    static ModelSpec spec(Architecture arch, int heads, int kvHeads, int headDim, RopeScaling scaling) {
        boolean gemma = arch == Architecture.GEMMA;
        return new ModelSpec(arch, 24, 2, heads, kvHeads, headDim, 40, 160, 64, 1e-5,
                gemma ? NormForm.ONE_PLUS_WEIGHT : NormForm.WEIGHT,
                new Rope(arch == Architecture.QWEN2 || arch == Architecture.QWEN3 ? 1e6 : 1e4, scaling),
                gemma ? Activation.GELU_TANH : Activation.SILU,
                arch == Architecture.QWEN2,
                arch != Architecture.PHI3,
                gemma,
                1, List.of(2));
    }

    static RandomModel create(ModelSpec spec, long seed) {
        return new RandomModel(spec, seed, false);
    }

    /** Every matrix weight rounded (to nearest even) to a bfloat16 value, as a BF16 checkpoint holds them. */
    static RandomModel createBf16(ModelSpec spec, long seed) {
        return new RandomModel(spec, seed, true);
    }

    private ArrayMatrix matrix(Random rnd, String name, int rows, int cols, float std) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rnd.nextGaussian() * std;
            if (bf16) {
                int bits = Float.floatToRawIntBits(data[i]);
                bits += 0x7FFF + ((bits >>> 16) & 1);
                data[i] = Float.intBitsToFloat(bits & 0xFFFF0000);
            }
        }
        return new ArrayMatrix(name, rows, cols, data);
    }

    private static float[] vector(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
        }
        return v;
    }

    private static float[] norm(Random rnd, int n, boolean centredOnZero) {
        float[] v = vector(rnd, n, 0.2f);
        if (!centredOnZero) {
            for (int i = 0; i < n; i++) {
                v[i] += 1f;
            }
        }
        return v;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Matrix embedding() {
        return embedding;
    }

    @Override
    public Matrix lmHead() {
        return lmHead;
    }

    @Override
    public float[] finalNorm() {
        return finalNorm;
    }

    @Override
    public LayerWeights layer(int index) {
        return layers[index];
    }

    @Override
    public void close() {}
}
