package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.NormForm;
import dev.fornax.ir.RopeScaling;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every directory of ../shared/fixtures/hf loads with the dimensions of the fixtures' README table,
 * the spec fields their configs imply, and the parameter count their manifests state.
 */
class FixtureLoadingTest {

    private static LoadedWeights load(String rel) {
        return ModelLoader.loadWeights(Shared.require("fixtures/hf/" + rel));
    }

    private static long manifestParams(String rel) throws IOException {
        JsonNode m = new ObjectMapper().readTree(Shared.require("fixtures/hf/" + rel + "/ref/manifest.json").toFile());
        return m.get("weights_stats").get("params").asLong();
    }

    private static void dims(ModelSpec s, int hidden, int layers, int heads, int kv, int headDim, int inter, int vocab) {
        assertThat(List.of(s.hidden(), s.layers(), s.heads(), s.kvHeads(), s.headDim(), s.intermediate(), s.vocab()))
                .containsExactly(hidden, layers, heads, kv, headDim, inter, vocab);
    }

    @Test
    void llamaWithLlama3RopeAndTiedEmbeddings() throws IOException {
        LoadedWeights w = load("llama");
        ModelSpec s = w.spec();
        assertThat(s.architecture()).isEqualTo(Architecture.LLAMA);
        dims(s, 96, 4, 6, 2, 16, 256, 448);
        assertThat(s.rope().theta()).isEqualTo(500000.0);
        assertThat(s.rope().scaling()).isEqualTo(new RopeScaling.Llama3(32.0, 1.0, 4.0, 8192));
        assertThat(s.tiedEmbeddings()).isTrue();
        assertThat(w.lmHead()).isSameAs(w.embedding());
        assertThat(s.normEps()).isEqualTo(1e-5);
        assertThat(s.contextLength()).isEqualTo(131072);
        assertThat(s.qkvBias()).isFalse();
        assertThat(s.normForm()).isEqualTo(NormForm.WEIGHT);
        assertThat(s.activation()).isEqualTo(Activation.SILU);
        assertThat(s.bosId()).isEqualTo(1);
        assertThat(s.eosIds()).containsExactly(2);
        assertThat(s.parameters()).isEqualTo(manifestParams("llama"));
        assertThat(w.storage()).isEqualTo("BF16");
        assertThat(w.tensorCount()).isEqualTo(38);
    }

    @Test
    void qwen2WithBiasesAndTheta1e6() throws IOException {
        for (String dir : List.of("qwen2", "qwen2/f16")) {
            LoadedWeights w = load(dir);
            ModelSpec s = w.spec();
            assertThat(s.architecture()).isEqualTo(Architecture.QWEN2);
            dims(s, 128, 2, 8, 2, 16, 288, 520);
            assertThat(s.qkvBias()).isTrue();
            assertThat(w.layer(1).bq()).hasSize(128);
            assertThat(w.layer(1).bk()).hasSize(32);
            assertThat(w.layer(1).bv()).hasSize(32);
            assertThat(s.rope().theta()).isEqualTo(1e6);
            assertThat(s.rope().scaling()).isEqualTo(new RopeScaling.None());
            assertThat(s.normEps()).isEqualTo(1e-6);
            assertThat(s.tiedEmbeddings()).isTrue();
            assertThat(s.parameters()).isEqualTo(manifestParams(dir));
        }
        assertThat(load("qwen2/f16").storage()).isEqualTo("F16");
    }

    @Test
    void phi3FusedTensorsUntiedHead() throws IOException {
        LoadedWeights w = load("phi3");
        ModelSpec s = w.spec();
        assertThat(s.architecture()).isEqualTo(Architecture.PHI3);
        dims(s, 96, 3, 6, 2, 16, 224, 400);
        assertThat(s.tiedEmbeddings()).isFalse();
        assertThat(w.lmHead()).isNotSameAs(w.embedding());
        assertThat(w.lmHead().name()).isEqualTo("lm_head.weight");
        assertThat(s.eosIds()).containsExactly(368);
        assertThat(s.contextLength()).isEqualTo(4096);
        assertThat(s.parameters()).isEqualTo(manifestParams("phi3"));
        assertThat(w.layer(0).wq().rows()).isEqualTo(96);
        assertThat(w.layer(0).wk().rows()).isEqualTo(32);
        assertThat(w.layer(0).wv().rows()).isEqualTo(32);
        assertThat(w.layer(0).wGate().rows()).isEqualTo(224);
        assertThat(w.layer(0).wUp().rows()).isEqualTo(224);
    }

    @Test
    void gemmaHeadDimFromConfigNormOnePlusWeight() throws IOException {
        for (String dir : List.of("gemma", "gemma/f32")) {
            LoadedWeights w = load(dir);
            ModelSpec s = w.spec();
            assertThat(s.architecture()).isEqualTo(Architecture.GEMMA);
            dims(s, 80, 3, 4, 1, 32, 256, 448);
            assertThat(s.normForm()).isEqualTo(NormForm.ONE_PLUS_WEIGHT);
            assertThat(s.scaleEmbeddings()).isTrue();
            assertThat(s.activation()).isEqualTo(Activation.GELU_TANH);
            assertThat(s.tiedEmbeddings()).isTrue();
            assertThat(s.bosId()).isEqualTo(2);
            assertThat(s.eosIds()).containsExactly(1);
            assertThat(w.layer(0).wq().rows()).isEqualTo(128);
            assertThat(w.layer(0).wo().cols()).isEqualTo(128);
            assertThat(s.parameters()).isEqualTo(manifestParams(dir));
            // The fixture's final norm is drawn around 1.5, the layer norms around 0 (applied as 1 + w).
            double mean = 0;
            for (float v : w.finalNorm()) {
                mean += v / w.finalNorm().length;
            }
            assertThat(mean).isBetween(1.3, 1.7);
        }
    }

    /** The phi3 split views must be the fused tensor's rows, read here by an independent header parse. */
    @Test
    void phi3SplitViewsAreTheFusedRows() throws IOException {
        Path file = Shared.require("fixtures/hf/phi3/model.safetensors");
        LoadedWeights w = load("phi3");
        float[][] qkv = rawBf16(file, "model.layers.2.self_attn.qkv_proj.weight");
        float[][] gateUp = rawBf16(file, "model.layers.2.mlp.gate_up_proj.weight");
        assertThat(qkv).hasNumberOfRows(160);
        for (int r = 0; r < 160; r++) {
            float[] got = r < 96 ? w.layer(2).wq().row(r) : r < 128 ? w.layer(2).wk().row(r - 96) : w.layer(2).wv().row(r - 128);
            assertThat(got).as("qkv row %d", r).containsExactly(qkv[r]);
        }
        for (int r = 0; r < 448; r++) {
            float[] got = r < 224 ? w.layer(2).wGate().row(r) : w.layer(2).wUp().row(r - 224);
            assertThat(got).as("gate_up row %d", r).containsExactly(gateUp[r]);
        }
    }

    @Test
    void shardedPhi3EqualsUnshardedTensorForTensor() {
        LoadedWeights single = load("phi3");
        LoadedWeights sharded = load("phi3/sharded");
        assertThat(sharded.spec()).isEqualTo(single.spec());
        Map<String, float[]> a = WeightDump.of(single);
        Map<String, float[]> b = WeightDump.of(sharded);
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((name, values) -> assertThat(b.get(name)).as(name).containsExactly(values));
        // The sharded copy also reads generation_config.json (same eos).
        assertThat(sharded.spec().eosIds()).containsExactly(368);
    }

    /** gemma (bf16) and gemma/f32 hold the same float32 draws; bf16 is their round-to-nearest-even. */
    @Test
    void gemmaBf16IsTheRoundedF32() {
        Map<String, float[]> f32 = WeightDump.of(load("gemma/f32"));
        Map<String, float[]> bf16 = WeightDump.of(load("gemma"));
        long differing = 0;
        for (var e : f32.entrySet()) {
            float[] exact = e.getValue();
            float[] rounded = bf16.get(e.getKey());
            for (int i = 0; i < exact.length; i++) {
                assertThat(rounded[i]).as("%s[%d]", e.getKey(), i)
                        .isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(exact[i])));
                differing += rounded[i] != exact[i] ? 1 : 0;
            }
        }
        assertThat(differing).isGreaterThan(290_000); // f32 values not bf16-exact: 297,516 (manifest)
    }

    /** qwen2/f16 holds the same draws as qwen2 (bf16), rounded to f16: 250 of them subnormal. */
    @Test
    void qwen2F16KeepsSubnormalsAndAgreesWithBf16() {
        Map<String, float[]> f16 = WeightDump.of(load("qwen2/f16"));
        Map<String, float[]> bf16 = WeightDump.of(load("qwen2"));
        int subnormals = 0;
        for (var e : f16.entrySet()) {
            if (e.getKey().equals("lmHead")) {
                continue; // tied: the embedding again
            }
            float[] h = e.getValue();
            float[] b = bf16.get(e.getKey());
            for (int i = 0; i < h.length; i++) {
                if (h[i] != 0 && Math.abs(h[i]) < 0x1p-14f) {
                    subnormals++;
                }
                // Both round the same float32 draw: within half a bf16 ulp (2^16 float ulps) plus half an
                // f16 ulp (2^13 float ulps, at least 2^-24 among subnormals).
                double bound = Math.ulp(b[i]) * 65536 / 2 + Math.max(Math.ulp(h[i]) * 8192, 0x1p-24) / 2;
                assertThat((double) Math.abs(h[i] - b[i])).as("%s[%d]", e.getKey(), i).isLessThanOrEqualTo(bound);
            }
        }
        assertThat(subnormals).isEqualTo(250);
    }

    /** Minimal independent reader: header by Jackson, rows by bf16 bit shift. */
    static float[][] rawBf16(Path file, String tensor) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) buf.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, headerLen, "UTF-8"));
        JsonNode t = header.get(tensor);
        assertThat(t.get("dtype").asText()).isEqualTo("BF16");
        int rows = t.get("shape").get(0).asInt();
        int cols = t.get("shape").get(1).asInt();
        int start = 8 + headerLen + t.get("data_offsets").get(0).asInt();
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = Float.intBitsToFloat((buf.getShort(start + 2 * (r * cols + c)) & 0xFFFF) << 16);
            }
        }
        return out;
    }
}
