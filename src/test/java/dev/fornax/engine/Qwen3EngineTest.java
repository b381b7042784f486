package dev.fornax.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.gguf.GgufBytes;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.ir.RopeScaling;
import dev.fornax.model.Dtype;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.model.TinyModel;
import dev.fornax.model.TinyWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Qwen3 (modeling_qwen3.py) in the float engine. ../shared holds no HF reference for qwen3 (no PyPI or
 * hub here), so the expectations are independent of {@link FloatEngine} in other ways:
 * <ul>
 *   <li>{@link DoubleReference}: a float64 whole-sequence transcription of modeling_qwen3.py
 *       (q_norm / k_norm per head over head_dim before RoPE), here on a checkpoint written to disk,
 *       so HfModelReader's tensor names and the config reading are in the loop;</li>
 *   <li>a property that only a per-head RMSNorm over head_dim has: scaling the q_proj rows of one
 *       query head (or the k_proj rows of one kv head) by a positive constant leaves every logit
 *       unchanged, while the same change moves the logits of the same model without q/k norms;</li>
 *   <li>the GGUF form (llama.cpp's qwen3: attn_q_norm / attn_k_norm, no permutation) gives the same
 *       bits as the HF form of the same weights.</li>
 * </ul>
 */
class Qwen3EngineTest {
    private static final int[] TOKENS = {1, 7, 49, 0, 23, 23, 5, 18, 33, 2, 41, 12, 9, 30, 30, 30, 17, 48, 3, 26};

    @Test
    void aCheckpointOnDiskMatchesTheFloat64TranscriptionOfModelingQwen3(@TempDir Path tmp) {
        // heads·head_dim = 4·32 = 128 ≠ hidden 64, as in Qwen3-0.6B (16·128 ≠ 1024)
        TinyModel shape = TinyModel.defaults(Architecture.QWEN3).with(null, 2, 4, 2, 32, 96, 97, null);
        Path dir = TinyWriter.write(shape, tmp.resolve("q3"), 11, Dtype.F32, 1, false).dir();
        try (LoadedModel m = ModelLoader.load(dir, null);
                FloatEngine engine = new FloatEngine(m.weights(), FloatEngine.WeightMode.CACHED, new Parallel(2))) {
            ModelSpec s = engine.spec();
            assertThat(s.architecture()).isEqualTo(Architecture.QWEN3);
            assertThat(s.headDim()).isEqualTo(32);
            assertThat(s.qDim()).isEqualTo(128);
            assertThat(s.qkvBias()).isFalse();
            assertThat(s.tiedEmbeddings()).isTrue();
            assertThat(s.rope().theta()).isEqualTo(1e6);
            assertThat(m.weights().layer(1).qNorm()).hasSize(32);
            assertThat(m.weights().layer(1).kNorm()).hasSize(32);
            double[][] expected = DoubleReference.logits(m.weights(), TOKENS);
            float[][] actual = TeacherForcing.logits(engine, TOKENS);
            double worst = 0;
            for (int t = 0; t < TOKENS.length; t++) {
                for (int i = 0; i < s.vocab(); i++) {
                    worst = Math.max(worst, Math.abs(actual[t][i] - expected[t][i]));
                }
            }
            assertThat(worst).as("max |Δlogit| against the float64 transcription").isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void scalingOneHeadsProjectionRowsChangesNothingBecauseEachHeadIsNormalisedOnItsOwn() {
        ModelSpec qwen3 = RandomModel.spec(Architecture.QWEN3, 4, 2, 12, new RopeScaling.None());
        RandomModel model = RandomModel.create(qwen3, 5);
        float[][] plain = logits(model);
        // q head 1 by 8 and kv head 0 by 4 (powers of two: the products are exact; upwards, so eps matters less)
        float[][] scaled = logits(scaledHeads(model, 1, 8f, 0, 4f));
        double worst = maxDiff(plain, scaled);
        // float32 rounding and eps (1e-5 here) only: the engine's tolerance against HF
        assertThat(worst).as("qwen3: max |Δlogit| after scaling one head's q and one head's k rows")
                .isLessThanOrEqualTo(1e-4);

        // The same scaling without the q/k norms (a llama of the same shape and draw) changes the logits.
        ModelSpec llama = RandomModel.spec(Architecture.LLAMA, 4, 2, 12, new RopeScaling.None());
        RandomModel noNorms = RandomModel.create(llama, 5);
        assertThat(maxDiff(logits(noNorms), logits(scaledHeads(noNorms, 1, 8f, 0, 4f))))
                .as("llama: the same scaling is visible").isGreaterThan(0.1);
    }

    @Test
    void theGgufFormOfTheSameWeightsGivesTheSameBits(@TempDir Path tmp) throws IOException {
        TinyModel shape = TinyModel.defaults(Architecture.QWEN3).with(null, 2, 4, 2, 32, 96, 97, null);
        Path dir = TinyWriter.write(shape, tmp.resolve("q3"), 3, Dtype.F32, 1, false).dir();
        Path gguf = tmp.resolve("q3.gguf");
        float[][] hf;
        try (LoadedModel m = ModelLoader.load(dir, null)) {
            Files.write(gguf, ggufOf(m.weights()));
            hf = logits(m.weights());
        }
        try (LoadedModel g = ModelLoader.load(gguf, null)) {
            assertThat(g.weights().spec().architecture()).isEqualTo(Architecture.QWEN3);
            assertThat(g.weights().spec().headDim()).isEqualTo(32);
            assertThat(logits(g.weights())).isDeepEqualTo(hf);
        }
        // without blk.1.attn_k_norm.weight the file is not a qwen3 model
        Path cut = tmp.resolve("cut.gguf");
        try (LoadedModel m = ModelLoader.load(dir, null)) {
            Files.write(cut, ggufOf(m.weights(), "blk.1.attn_k_norm.weight"));
        }
        assertThatThrownBy(() -> ModelLoader.load(cut, null)).isInstanceOf(FornaxException.class)
                .hasMessage(cut + ": tensor 'blk.1.attn_k_norm.weight' is missing");
    }

    @Test
    void missingOrStrayQkNormsAreRefused(@TempDir Path tmp) throws IOException {
        TinyModel shape = TinyModel.defaults(Architecture.QWEN3).with(null, 1, 4, 2, 32, 96, 97, null);
        Path dir = TinyWriter.write(shape, tmp.resolve("q3"), 3, Dtype.F32, 1, false).dir();
        try (LoadedModel m = ModelLoader.load(dir, null)) {
            ModelWeights noKNorm = withLayer(m.weights(), l -> new LayerWeights(l.attnNorm(), l.wq(), l.wk(), l.wv(),
                    null, null, null, l.wo(), l.ffnNorm(), l.wGate(), l.wUp(), l.wDown(), l.qNorm(), null));
            assertThatThrownBy(() -> new FloatEngine(noKNorm, FloatEngine.WeightMode.CACHED, new Parallel(1)))
                    .isInstanceOf(FornaxException.class)
                    .hasMessage("layer 0 k_norm has no values, the model description needs 32");
        }
        // config.json of a qwen3 whose safetensors lack the q_norm tensor
        Path cfg = dir.resolve("config.json");
        String text = Files.readString(cfg);
        Path other = tmp.resolve("q3b");
        TinyWriter.write(TinyModel.defaults(Architecture.QWEN2).with(null, 1, 4, 2, null, 96, 97, null), other, 3,
                Dtype.F32, 1, false);
        Files.writeString(other.resolve("config.json"), text.replace("\"head_dim\": 32", "\"head_dim\": 16"));
        assertThatThrownBy(() -> ModelLoader.load(other, null))
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining("model.layers.0.self_attn.q_norm.weight");
    }

    // ---------------------------------------------------------------- helpers

    private static float[][] logits(ModelWeights w) {
        try (FloatEngine e = new FloatEngine(w, FloatEngine.WeightMode.CACHED, new Parallel(1))) {
            return TeacherForcing.logits(e, TOKENS);
        }
    }

    private static double maxDiff(float[][] a, float[][] b) {
        double worst = 0;
        for (int t = 0; t < a.length; t++) {
            for (int i = 0; i < a[t].length; i++) {
                worst = Math.max(worst, Math.abs(a[t][i] - b[t][i]));
            }
        }
        return worst;
    }

    /** Rows [head·hd, (head+1)·hd) of m times c. */
    private static Matrix scaleRows(Matrix m, int head, int hd, float c) {
        return m.afterRead(m.name() + " (head " + head + " ×" + c + ")", (row, dst, offset) -> {
            if (row / hd == head) {
                for (int i = 0; i < m.cols(); i++) {
                    dst[offset + i] *= c;
                }
            }
        });
    }

    private static ModelWeights scaledHeads(ModelWeights w, int qHead, float qc, int kHead, float kc) {
        int hd = w.spec().headDim();
        return withLayer(w, l -> new LayerWeights(l.attnNorm(), scaleRows(l.wq(), qHead, hd, qc),
                scaleRows(l.wk(), kHead, hd, kc), l.wv(), l.bq(), l.bk(), l.bv(), l.wo(), l.ffnNorm(), l.wGate(),
                l.wUp(), l.wDown(), l.qNorm(), l.kNorm()));
    }

    private static ModelWeights withLayer(ModelWeights w, java.util.function.UnaryOperator<LayerWeights> f) {
        return new ModelWeights() {
            @Override
            public ModelSpec spec() {
                return w.spec();
            }

            @Override
            public Matrix embedding() {
                return w.embedding();
            }

            @Override
            public Matrix lmHead() {
                return w.lmHead();
            }

            @Override
            public float[] finalNorm() {
                return w.finalNorm();
            }

            @Override
            public LayerWeights layer(int index) {
                return f.apply(w.layer(index));
            }

            @Override
            public void close() {}
        };
    }

    /** The weights as llama.cpp's converter writes a qwen3 GGUF (F32 tensors, NEOX RoPE: rows unpermuted). */
    private static byte[] ggufOf(ModelWeights w) {
        return ggufOf(w, null);
    }

    private static byte[] ggufOf(ModelWeights w, String leftOut) {
        ModelSpec s = w.spec();
        GgufBytes g = new GgufBytes()
                .string("general.architecture", "qwen3")
                .u32("qwen3.context_length", s.contextLength())
                .u32("qwen3.embedding_length", s.hidden())
                .u32("qwen3.block_count", s.layers())
                .u32("qwen3.feed_forward_length", s.intermediate())
                .u32("qwen3.attention.head_count", s.heads())
                .u32("qwen3.attention.head_count_kv", s.kvHeads())
                .u32("qwen3.attention.key_length", s.headDim())
                .u32("qwen3.attention.value_length", s.headDim())
                .f32("qwen3.rope.freq_base", (float) s.rope().theta())
                .f32("qwen3.attention.layer_norm_rms_epsilon", (float) s.normEps());
        matrix(g, leftOut, "token_embd.weight", w.embedding());
        vector(g, leftOut, "output_norm.weight", w.finalNorm());
        for (int i = 0; i < s.layers(); i++) {
            LayerWeights l = w.layer(i);
            String p = "blk." + i + ".";
            vector(g, leftOut, p + "attn_norm.weight", l.attnNorm());
            matrix(g, leftOut, p + "attn_q.weight", l.wq());
            matrix(g, leftOut, p + "attn_k.weight", l.wk());
            matrix(g, leftOut, p + "attn_v.weight", l.wv());
            vector(g, leftOut, p + "attn_q_norm.weight", l.qNorm());
            vector(g, leftOut, p + "attn_k_norm.weight", l.kNorm());
            matrix(g, leftOut, p + "attn_output.weight", l.wo());
            vector(g, leftOut, p + "ffn_norm.weight", l.ffnNorm());
            matrix(g, leftOut, p + "ffn_gate.weight", l.wGate());
            matrix(g, leftOut, p + "ffn_up.weight", l.wUp());
            matrix(g, leftOut, p + "ffn_down.weight", l.wDown());
        }
        return g.build();
    }

    private static void matrix(GgufBytes g, String leftOut, String name, Matrix m) {
        if (name.equals(leftOut)) {
            return;
        }
        float[] data = new float[m.rows() * m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.readRow(r, data, r * m.cols());
        }
        g.tensor(name, 0, GgufBytes.floats(data), m.cols(), m.rows());
    }

    private static void vector(GgufBytes g, String leftOut, String name, float[] v) {
        if (name.equals(leftOut)) {
            return;
        }
        g.tensor(name, 0, GgufBytes.floats(v), v.length);
    }
}
