package dev.fornax.quant;

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

/** Float weights held in arrays, for tests that build a model in code (random or hand-made). */
public final class InMemoryWeights implements ModelWeights {

    /** A row-major float matrix. */
    public record ArrayMatrix(String name, int rows, int cols, float[] data) implements Matrix {
        @Override
        public void readRow(int row, float[] dst, int offset) {
            System.arraycopy(data, row * cols, dst, offset, cols);
        }
    }

    private final ModelSpec spec;
    private final ArrayMatrix embedding;
    private final ArrayMatrix lmHead;
    private final float[] finalNorm;
    private final List<LayerWeights> layers;

    public InMemoryWeights(ModelSpec spec, ArrayMatrix embedding, ArrayMatrix lmHead, float[] finalNorm,
            List<LayerWeights> layers) {
        this.spec = spec;
        this.embedding = embedding;
        this.lmHead = lmHead;
        this.finalNorm = finalNorm;
        this.layers = layers;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ArrayMatrix embedding() {
        return embedding;
    }

    @Override
    public ArrayMatrix lmHead() {
        return lmHead;
    }

    @Override
    public float[] finalNorm() {
        return finalNorm;
    }

    @Override
    public LayerWeights layer(int index) {
        return layers.get(index);
    }

    public List<LayerWeights> layers() {
        return layers;
    }

    @Override
    public void close() {}

    /** A small spec of the given architecture with the HF conventions of that family. */
    public static ModelSpec spec(Architecture arch, int hidden, int layers, int heads, int kvHeads, int headDim,
            int intermediate, int vocab, int context) {
        boolean gemma = arch == Architecture.GEMMA;
        return new ModelSpec(arch, hidden, layers, heads, kvHeads, headDim, intermediate, vocab, context,
                gemma ? 1e-6 : 1e-5,
                gemma ? NormForm.ONE_PLUS_WEIGHT : NormForm.WEIGHT,
                new Rope(arch == Architecture.QWEN2 || arch == Architecture.QWEN3 ? 1e6 : 1e4, new RopeScaling.None()),
                gemma ? Activation.GELU_TANH : Activation.SILU,
                arch == Architecture.QWEN2,
                arch != Architecture.PHI3,
                gemma,
                1, List.of(2));
    }

    /** Random N(0, std) weights (norm gains around 1, or around 0 for gemma's 1+w form). */
    public static InMemoryWeights random(ModelSpec s, long seed, double std) {
        Random r = new Random(seed);
        int d = s.hidden();
        int qDim = s.heads() * s.headDim();
        int kvDim = s.kvHeads() * s.headDim();
        int inter = s.intermediate();
        boolean onePlus = s.normForm() == NormForm.ONE_PLUS_WEIGHT;
        ArrayMatrix emb = matrix(r, "model.embed_tokens.weight", s.vocab(), d, std * 10);
        ArrayMatrix head = s.tiedEmbeddings() ? emb : matrix(r, "lm_head.weight", s.vocab(), d, std);
        List<LayerWeights> layers = new java.util.ArrayList<>();
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            layers.add(new LayerWeights(
                    gains(r, d, onePlus),
                    matrix(r, p + "self_attn.q_proj.weight", qDim, d, std),
                    matrix(r, p + "self_attn.k_proj.weight", kvDim, d, std),
                    matrix(r, p + "self_attn.v_proj.weight", kvDim, d, std),
                    s.qkvBias() ? vector(r, qDim, std) : null,
                    s.qkvBias() ? vector(r, kvDim, std) : null,
                    s.qkvBias() ? vector(r, kvDim, std) : null,
                    matrix(r, p + "self_attn.o_proj.weight", d, qDim, std),
                    gains(r, d, onePlus),
                    matrix(r, p + "mlp.gate_proj.weight", inter, d, std),
                    matrix(r, p + "mlp.up_proj.weight", inter, d, std),
                    matrix(r, p + "mlp.down_proj.weight", d, inter, std),
                    s.qkNorm() ? gains(r, s.headDim(), false) : null,
                    s.qkNorm() ? gains(r, s.headDim(), false) : null));
        }
        return new InMemoryWeights(s, emb, head, gains(r, d, onePlus), layers);
    }

    public static ArrayMatrix matrix(Random r, String name, int rows, int cols, double std) {
        float[] a = new float[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextGaussian() * std);
        }
        return new ArrayMatrix(name, rows, cols, a);
    }

    static float[] vector(Random r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

    static float[] gains(Random r, int n, boolean onePlus) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) ((onePlus ? 0 : 1) + 0.1 * r.nextGaussian());
        }
        return g;
    }
}
