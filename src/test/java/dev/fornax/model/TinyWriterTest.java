package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.NormForm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyWriterTest {
    @TempDir
    Path tmp;

    private Path write(TinyModel m, String name, long seed, Dtype dtype, int shards) {
        return TinyWriter.write(m, tmp.resolve(name), seed, dtype, shards, false).dir();
    }

    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void everyFamilyLoadsWithTheRequestedShape() {
        for (Architecture a : Architecture.values()) {
            TinyModel m = TinyModel.defaults(a);
            LoadedWeights w = ModelLoader.loadWeights(write(m, a.modelType(), 1, Dtype.BF16, 1));
            ModelSpec s = w.spec();
            assertThat(s.architecture()).isEqualTo(a);
            assertThat(List.of(s.hidden(), s.layers(), s.heads(), s.kvHeads(), s.headDim(), s.intermediate(), s.vocab(),
                    s.contextLength())).containsExactly(m.hidden(), m.layers(), m.heads(), m.kvHeads(), m.headDim(),
                    m.intermediate(), m.vocab(), m.context());
            assertThat(s.tiedEmbeddings()).isEqualTo(a != Architecture.PHI3);
            assertThat(w.storage()).isEqualTo("BF16");
            assertThat(WeightCheck.requireFinite(w)).isEqualTo(s.parameters());
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        TinyModel m = TinyModel.defaults(Architecture.QWEN2);
        Map<String, byte[]> a = files(write(m, "a", 42, Dtype.BF16, 2));
        Map<String, byte[]> b = files(write(m, "b", 42, Dtype.BF16, 2));
        Map<String, byte[]> c = files(write(m, "c", 43, Dtype.BF16, 2));
        assertThat(a.keySet()).containsExactly("config.json", "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors", "model.safetensors.index.json");
        a.forEach((name, bytes) -> assertThat(b.get(name)).as(name).isEqualTo(bytes));
        assertThat(c.get("model-00001-of-00002.safetensors")).isNotEqualTo(a.get("model-00001-of-00002.safetensors"));
        assertThat(c.get("config.json")).isEqualTo(a.get("config.json"));
    }

    @Test
    void shardedEqualsSingleFileTensorForTensor() {
        TinyModel m = TinyModel.defaults(Architecture.PHI3);
        Map<String, float[]> single = WeightDump.of(ModelLoader.loadWeights(write(m, "one", 5, Dtype.BF16, 1)));
        Path shardedDir = write(m, "three", 5, Dtype.BF16, 3);
        assertThat(shardedDir.resolve("model.safetensors")).doesNotExist();
        Map<String, float[]> sharded = WeightDump.of(ModelLoader.loadWeights(shardedDir));
        single.forEach((name, v) -> assertThat(sharded.get(name)).as(name).containsExactly(v));
    }

    /** bf16 output is the round-to-nearest-even of the f32 output for the same seed. */
    @Test
    void bf16IsTheRoundedF32() {
        TinyModel m = TinyModel.defaults(Architecture.GEMMA);
        Map<String, float[]> f32 = WeightDump.of(ModelLoader.loadWeights(write(m, "f32", 9, Dtype.F32, 1)));
        Map<String, float[]> bf16 = WeightDump.of(ModelLoader.loadWeights(write(m, "bf16", 9, Dtype.BF16, 1)));
        f32.forEach((name, v) -> {
            float[] r = bf16.get(name);
            for (int i = 0; i < v.length; i++) {
                assertThat(r[i]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[i])));
            }
        });
    }

    /** Std ≈ 0.02 for matrices; norms centred on 1 (gemma: on 0, since it applies 1 + w). */
    @Test
    void valueStatisticsGiveUsableRandomModels() {
        for (Architecture a : List.of(Architecture.LLAMA, Architecture.GEMMA)) {
            LoadedWeights w = ModelLoader.loadWeights(write(TinyModel.defaults(a), "s" + a, 3, Dtype.F32, 1));
            double[] emb = stats(WeightDump.all(w.embedding()));
            assertThat(emb[0]).isBetween(-0.002, 0.002);
            assertThat(emb[1]).isBetween(0.019, 0.021);
            double centre = w.spec().normForm() == NormForm.ONE_PLUS_WEIGHT ? 0 : 1;
            double[] norm = stats(w.layer(0).attnNorm());
            assertThat(norm[0]).isBetween(centre - 0.01, centre + 0.01);
            assertThat(stats(w.finalNorm())[0]).isBetween(centre - 0.01, centre + 0.01);
        }
    }

    private static double[] stats(float[] v) {
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        return new double[] {mean, Math.sqrt(sq / v.length - mean * mean)};
    }

    /** The presets' parameter counts are the ones published for the real checkpoints. */
    @Test
    void presetsHaveTheRealModelsParameterCounts() {
        Map<String, Long> published = Map.of(
                "qwen2-0.5b", 494_032_768L,
                // Qwen3-0.6B: num_parameters() with the tied lm_head once; the model card's 0.44B non-embedding
                // is this minus 151936·1024 = 440,467,456
                "qwen3-0.6b", 596_049_920L,
                "llama-3.2-1b", 1_235_814_400L,
                "phi-3-mini", 3_821_079_552L,
                "gemma-2b", 2_506_172_416L);
        for (String name : TinyModel.presetNames()) {
            TinyModel m = TinyModel.preset(name);
            Map<String, Object> config = TinyWriter.config(m, Dtype.BF16);
            ModelSpec s = HfConfig.parse(new ConfigFields(Path.of(name, "config.json"), Json.MAPPER.valueToTree(config)), null);
            assertThat(s.parameters()).as(name).isEqualTo(published.get(name));
        }
        assertThat(TinyModel.preset("gemma-2b").headDim()).isEqualTo(256);
        TinyModel q3 = TinyModel.preset("qwen3-0.6b");
        ModelSpec s = HfConfig.parse(new ConfigFields(Path.of("q3", "config.json"),
                Json.MAPPER.valueToTree(TinyWriter.config(q3, Dtype.BF16))), null);
        // the real config.json: 16 heads × head_dim 128 = 2048 ≠ hidden 1024, 8 kv heads, tied, theta 1e6
        assertThat(List.of(s.hidden(), s.layers(), s.heads(), s.kvHeads(), s.headDim(), s.qDim(), s.intermediate(),
                s.vocab(), s.contextLength(), s.bosId())).containsExactly(1024, 28, 16, 8, 128, 2048, 3072, 151936,
                40960, 151643);
        assertThat(s.eosIds()).containsExactly(151645);
        assertThat(s.tiedEmbeddings()).isTrue();
        assertThat(s.qkvBias()).isFalse();
        assertThat(s.qkNorm()).isTrue();
        assertThat(s.rope().theta()).isEqualTo(1e6);
        assertThat(s.normEps()).isEqualTo(1e-6);
        assertThat(s.parameters() - 151936L * 1024).isEqualTo(440_467_456L);
    }

    /** A wide vocabulary (≥ 2^17 rows) written and read back: last rows equal the raw file bytes. */
    @Test
    void wideVocabularyModelRoundTrips() throws IOException {
        TinyModel m = TinyModel.defaults(Architecture.LLAMA).with(16, 1, 2, 1, null, 32, 131_075, null);
        Path dir = write(m, "wide", 11, Dtype.BF16, 1);
        LoadedWeights w = ModelLoader.loadWeights(dir);
        assertThat(w.spec().vocab()).isEqualTo(131_075);
        float[][] raw = FixtureLoadingTest.rawBf16(dir.resolve("model.safetensors"), "model.embed_tokens.weight");
        for (int row : new int[] {0, 65_535, 65_536, 131_071, 131_072, 131_074}) {
            assertThat(w.embedding().row(row)).as("row %d", row).containsExactly(raw[row]);
            assertThat(w.lmHead().row(row)).containsExactly(raw[row]);
        }
    }

    @Test
    void refusesBadRequestsAndExistingOutput() throws IOException {
        TinyModel llama = TinyModel.defaults(Architecture.LLAMA);
        assertThatThrownBy(() -> llama.with(null, null, 3, 2, null, null, null, null))
                .isInstanceOf(FornaxException.class).hasMessageContaining("--hidden 64 is not divisible by --heads 3");
        assertThatThrownBy(() -> llama.with(null, null, null, null, 8, null, null, null))
                .hasMessageContaining("--head-dim is only for gemma");
        assertThatThrownBy(() -> TinyModel.preset("gpt-2")).hasMessageContaining("presets: qwen2-0.5b");
        assertThatThrownBy(() -> write(llama, "shards", 1, Dtype.BF16, 1000)).hasMessageContaining("--shards");
        Path dir = write(llama, "exists", 1, Dtype.BF16, 1);
        assertThatThrownBy(() -> write(llama, "exists", 1, Dtype.BF16, 1)).hasMessageContaining("already exists");
        TinyWriter.write(llama, dir, 2, Dtype.F32, 1, true); // --force replaces a model directory
        assertThat(ModelLoader.loadWeights(dir).storage()).isEqualTo("F32");
        Path notAModel = Files.createDirectories(tmp.resolve("precious"));
        assertThatThrownBy(() -> TinyWriter.write(llama, notAModel, 1, Dtype.BF16, 1, true))
                .hasMessageContaining("not a model directory");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-") || n.contains(".old-"));
        }
    }
}
