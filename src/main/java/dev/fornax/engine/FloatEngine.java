package dev.fornax.engine;

import dev.fornax.FornaxException;
import dev.fornax.ir.Activation;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;

/**
 * The float32 reference engine: the decoder forward of transformers v4.44
 * (modeling_llama / qwen2 / phi3 / gemma, eager attention; qwen3 as modeling_qwen3 of v4.51+) for one
 * token at a time with a KV cache.
 *
 * <p>Per layer: {@code h += o_proj(attn(rope(q), rope(k), v))} on {@code RMSNorm(h)}, then
 * {@code h += down(act(gate(x)) · up(x))} on {@code RMSNorm(h)}; at the end RMSNorm and lm_head.
 * Architecture differences all come from {@link ModelSpec}: the norm form (gemma {@code 1+w}),
 * q/k/v biases (qwen2), the per-head q/k RMSNorms before RoPE (qwen3), the embedding normaliser (gemma {@code float32(√hidden)}, lm_head tied to
 * the unscaled table), the activation, GQA (query head h reads kv head {@code h / (H/KV)}), and
 * the RoPE frequencies ({@link dev.fornax.ir.Rope#inverseFrequencies}).
 */
public final class FloatEngine implements Engine {

    /** Where the float32 weights live while the engine runs. */
    public enum WeightMode {
        /** Decoded once into the heap (4 bytes per weight): fastest per token. */
        CACHED,
        /** Decoded from the memory-mapped source on every product: no heap copy. */
        STREAMING,
        /** CACHED when the float32 copy fits comfortably in the heap, else STREAMING. */
        AUTO
    }

    /** Cache only when the float32 copy takes at most this share of the maximum heap. */
    private static final double AUTO_HEAP_SHARE = 0.6;

    private final ModelSpec spec;
    private final Parallel parallel;
    private final boolean cached;
    private final MatVec embedding;
    private final MatVec lmHead;
    private final float[] finalNorm;
    private final Layer[] layers;
    private final float[] invFreq;
    private final float embedScale;
    private final float attnScale;
    private final float attnMul;
    private final float normEps;
    private final KvCache cache;

    // Scratch vectors, reused by every step.
    private final float[] x;
    private final float[] xb;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] attnOut;
    private final float[] proj;
    private final float[] gate;
    private final float[] up;
    private float[] scoreBuffer;
    private final float[][] qkvOut;
    private final float[][] gateUpOut;
    private final float[] cos;
    private final float[] sin;

    private int position;
    private HiddenStates hiddenStates;

    /** Receives the residual stream after each layer (for int8-vs-float comparisons per layer). */
    @FunctionalInterface
    public interface HiddenStates {
        /** @param hidden the engine's own array, valid only during the call */
        void afterLayer(int layer, float[] hidden);
    }

    /** Installs (or with null removes) the per-layer hidden-state hook. */
    public void setHiddenStates(HiddenStates hook) {
        this.hiddenStates = hook;
    }

    private record Layer(
            float[] attnNorm,
            MatVec wq,
            MatVec wk,
            MatVec wv,
            float[] bq,
            float[] bk,
            float[] bv,
            MatVec wo,
            float[] ffnNorm,
            MatVec wGate,
            MatVec wUp,
            MatVec wDown,
            float[] qNorm,
            float[] kNorm) {
        MatVec[] qkv() {
            return new MatVec[] {wq, wk, wv};
        }

        MatVec[] gateUp() {
            return new MatVec[] {wGate, wUp};
        }
    }

    /** An engine over {@code weights} with {@link WeightMode#AUTO} and one thread per core. */
    public static FloatEngine open(ModelWeights weights) {
        return new FloatEngine(weights, WeightMode.AUTO, Parallel.ofAvailableProcessors());
    }

    /**
     * @param parallel owned by the engine from now on: {@link #close()} shuts it down
     */
    public FloatEngine(ModelWeights weights, WeightMode mode, Parallel parallel) {
        try {
            this.spec = weights.spec();
            this.parallel = parallel;
            this.cached = switch (mode) {
                case CACHED -> true;
                case STREAMING -> false;
                case AUTO -> spec.parameters() * 4.0 <= AUTO_HEAP_SHARE * Runtime.getRuntime().maxMemory();
            };
            int d = spec.hidden();
            int hd = spec.headDim();
            int qDim = spec.heads() * hd;
            int kvDim = spec.kvHeads() * hd;
            int inter = spec.intermediate();
            if (hd % 2 != 0) {
                throw new FornaxException("head_dim " + hd + " is odd; rotate-half RoPE needs an even head_dim");
            }
            if (spec.kvHeads() <= 0 || spec.heads() % spec.kvHeads() != 0) {
                throw new FornaxException("num_attention_heads " + spec.heads()
                        + " is not a multiple of num_key_value_heads " + spec.kvHeads());
            }

            Matrix embedSource = check(weights.embedding(), spec.vocab(), d);
            // The embedding is only read one row per token unless it doubles as lm_head.
            this.embedding = cached && spec.tiedEmbeddings() ? MatVec.cached(embedSource, parallel)
                    : MatVec.streaming(embedSource, parallel);
            this.lmHead = spec.tiedEmbeddings() ? embedding : load(check(weights.lmHead(), spec.vocab(), d));
            this.finalNorm = checkVector(weights.finalNorm(), d, "final norm");
            this.layers = new Layer[spec.layers()];
            for (int i = 0; i < spec.layers(); i++) {
                LayerWeights lw = weights.layer(i);
                String at = "layer " + i + " ";
                layers[i] = new Layer(
                        checkVector(lw.attnNorm(), d, at + "input norm"),
                        load(check(lw.wq(), qDim, d)),
                        load(check(lw.wk(), kvDim, d)),
                        load(check(lw.wv(), kvDim, d)),
                        bias(lw.bq(), qDim, at + "q bias"),
                        bias(lw.bk(), kvDim, at + "k bias"),
                        bias(lw.bv(), kvDim, at + "v bias"),
                        load(check(lw.wo(), d, qDim)),
                        checkVector(lw.ffnNorm(), d, at + "post-attention norm"),
                        load(check(lw.wGate(), inter, d)),
                        load(check(lw.wUp(), inter, d)),
                        load(check(lw.wDown(), d, inter)),
                        qkNorm(lw.qNorm(), hd, at + "q_norm"),
                        qkNorm(lw.kNorm(), hd, at + "k_norm"));
            }
            this.invFreq = spec.rope().inverseFrequencies(hd);
            // gemma: torch.tensor(hidden_size ** 0.5, dtype=float32), applied to the input only.
            this.embedScale = spec.scaleEmbeddings() ? (float) Math.sqrt(d) : 1.0f;
            // attn_weights = q·kᵀ / math.sqrt(head_dim): a Python double, rounded to float32 by torch.
            this.attnScale = (float) Math.sqrt(hd);
            // qwen3 (transformers ≥ 4.51): attn_weights = q·kᵀ * self.scaling, scaling = head_dim**-0.5.
            this.attnMul = spec.qkNorm() ? (float) Math.pow(hd, -0.5) : 0f;
            this.normEps = (float) spec.normEps();
            this.cache = new KvCache(spec.layers(), kvDim, spec.contextLength());

            this.x = new float[d];
            this.xb = new float[d];
            this.q = new float[qDim];
            this.k = new float[kvDim];
            this.v = new float[kvDim];
            this.attnOut = new float[qDim];
            this.proj = new float[d];
            this.gate = new float[inter];
            this.up = new float[inter];
            this.cos = new float[hd / 2];
            this.sin = new float[hd / 2];
            this.scoreBuffer = new float[Math.min(spec.contextLength(), 1024)];
            this.qkvOut = new float[][] {q, k, v};
            this.gateUpOut = new float[][] {gate, up};
        } catch (RuntimeException | Error e) {
            parallel.close(); // a bad tensor must not leave the pool's threads behind
            throw e;
        }
    }

    /** Whether the weights were decoded into the heap ({@link WeightMode#CACHED}). */
    public boolean cachedWeights() {
        return cached;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public void reset() {
        position = 0;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public float[] step(int token) {
        if (token < 0 || token >= spec.vocab()) {
            throw new FornaxException("token id " + token + " is outside the vocabulary [0, " + spec.vocab() + ")");
        }
        if (position >= spec.contextLength()) {
            throw new FornaxException("position " + position + " is beyond the model's context length "
                    + spec.contextLength());
        }
        int pos = position;
        cache.ensure(pos);
        embedding.readRow(token, x);
        if (embedScale != 1.0f) {
            for (int i = 0; i < x.length; i++) {
                x[i] = x[i] * embedScale;
            }
        }
        ropeAngles(pos);
        for (int l = 0; l < layers.length; l++) {
            attention(l, layers[l], pos);
            mlp(layers[l]);
            if (hiddenStates != null) {
                hiddenStates.afterLayer(l, x);
            }
        }
        Kernels.rmsNorm(x, finalNorm, normEps, spec.normForm(), xb);
        float[] logits = new float[spec.vocab()];
        lmHead.apply(xb, logits, parallel);
        position = pos + 1;
        return logits;
    }

    /** cos/sin of {@code float32(inv_freq[i] · pos)}, as HF's rotary embedding computes them in float32. */
    private void ropeAngles(int pos) {
        float p = pos;
        for (int i = 0; i < invFreq.length; i++) {
            float angle = invFreq[i] * p;
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
    }

    private void attention(int l, Layer layer, int pos) {
        int hd = spec.headDim();
        int kvDim = k.length;
        Kernels.rmsNorm(x, layer.attnNorm(), normEps, spec.normForm(), xb);
        MatVec.applyAll(layer.qkv(), xb, qkvOut, parallel);
        addBias(q, layer.bq());
        addBias(k, layer.bk());
        addBias(v, layer.bv());
        if (layer.qNorm() != null) {
            // Qwen3Attention: q_norm / k_norm (RMSNorm over head_dim) on each head, before RoPE.
            for (int h = 0; h < spec.heads(); h++) {
                Kernels.rmsNorm(q, h * hd, hd, layer.qNorm(), normEps, spec.normForm(), q, h * hd);
            }
            for (int h = 0; h < spec.kvHeads(); h++) {
                Kernels.rmsNorm(k, h * hd, hd, layer.kNorm(), normEps, spec.normForm(), k, h * hd);
            }
        }
        for (int h = 0; h < spec.heads(); h++) {
            Kernels.rope(q, h * hd, hd, cos, sin);
        }
        for (int h = 0; h < spec.kvHeads(); h++) {
            Kernels.rope(k, h * hd, hd, cos, sin);
        }
        float[] keys = cache.keys(l);
        float[] values = cache.values(l);
        System.arraycopy(k, 0, keys, pos * kvDim, kvDim);
        System.arraycopy(v, 0, values, pos * kvDim, kvDim);

        int len = pos + 1;
        if (scoreBuffer.length < len) {
            scoreBuffer = new float[Math.max(len, scoreBuffer.length * 2)];
        }
        float[] att = scoreBuffer;
        int group = spec.groupSize();
        for (int h = 0; h < spec.heads(); h++) {
            int kvOff = (h / group) * hd; // HF repeat_kv: query head h reads kv head h // (H/KV)
            int qOff = h * hd;
            if (attnMul != 0f) {
                for (int t = 0; t < len; t++) {
                    att[t] = Kernels.dot(q, qOff, keys, t * kvDim + kvOff, hd) * attnMul;
                }
            } else {
                for (int t = 0; t < len; t++) {
                    att[t] = Kernels.dot(q, qOff, keys, t * kvDim + kvOff, hd) / attnScale;
                }
            }
            Kernels.softmax(att, len);
            for (int i = 0; i < hd; i++) {
                attnOut[qOff + i] = 0f;
            }
            for (int t = 0; t < len; t++) {
                float p = att[t];
                int vOff = t * kvDim + kvOff;
                for (int i = 0; i < hd; i++) {
                    attnOut[qOff + i] += p * values[vOff + i];
                }
            }
        }
        layer.wo().apply(attnOut, proj, parallel);
        for (int i = 0; i < x.length; i++) {
            x[i] += proj[i];
        }
    }

    private void mlp(Layer layer) {
        Kernels.rmsNorm(x, layer.ffnNorm(), normEps, spec.normForm(), xb);
        MatVec.applyAll(layer.gateUp(), xb, gateUpOut, parallel);
        boolean gelu = spec.activation() == Activation.GELU_TANH;
        for (int i = 0; i < gate.length; i++) {
            float a = gelu ? Kernels.geluTanh(gate[i]) : Kernels.silu(gate[i]);
            gate[i] = a * up[i];
        }
        layer.wDown().apply(gate, proj, parallel);
        for (int i = 0; i < x.length; i++) {
            x[i] += proj[i];
        }
    }

    private static void addBias(float[] v, float[] bias) {
        if (bias != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] += bias[i];
            }
        }
    }

    private MatVec load(Matrix m) {
        return cached ? MatVec.cached(m, parallel) : MatVec.streaming(m, parallel);
    }

    private static Matrix check(Matrix m, int rows, int cols) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new FornaxException("tensor " + m.name() + " has shape [" + m.rows() + " × " + m.cols()
                    + "], the model description needs [" + rows + " × " + cols + "]");
        }
        return m;
    }

    private static float[] checkVector(float[] v, int n, String what) {
        if (v == null || v.length != n) {
            throw new FornaxException(what + " has " + (v == null ? "no values" : v.length + " values")
                    + ", the model description needs " + n);
        }
        return v;
    }

    private float[] qkNorm(float[] w, int n, String what) {
        if (!spec.qkNorm()) {
            if (w != null) {
                throw new FornaxException(what + " is present but the model description has no q/k norms");
            }
            return null;
        }
        return checkVector(w, n, what);
    }

    private float[] bias(float[] b, int n, String what) {
        if (!spec.qkvBias()) {
            if (b != null) {
                throw new FornaxException(what + " is present but the model description has no q/k/v biases");
            }
            return null;
        }
        return checkVector(b, n, what);
    }

    @Override
    public void close() {
        parallel.close();
    }
}
