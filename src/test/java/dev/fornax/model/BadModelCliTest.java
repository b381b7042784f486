package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad model, through the CLI: exit 1, one line on stderr ("fornax: " + a message
 * naming the file/tensor/field), no stack trace.
 */
class BadModelCliTest {
    @TempDir
    Path tmp;

    private Path good;
    private ModelSpec spec;

    @BeforeEach
    void writeGoodModel() {
        TinyWriter.Result r = TinyWriter.write(TinyModel.defaults(Architecture.LLAMA), tmp.resolve("good"), 1, Dtype.BF16, 1, false);
        good = r.dir();
        spec = r.spec();
    }

    private Path copy(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(good.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static void inspectFails(Path model, String... fragments) {
        Cli r = Cli.run("inspect", model.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: ").endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
    }

    /** Rewrites model.safetensors from the plan, filtered, with values from {@code source}. */
    private Path rewrite(String name, Predicate<String> keep, SafetensorsWriter.RowSource source) throws IOException {
        Path dir = copy(name);
        Files.delete(dir.resolve("model.safetensors"));
        List<SafetensorsWriter.Planned> plan = TinyWriter.plan(spec, Dtype.BF16).stream().filter(t -> keep.test(t.name())).toList();
        SafetensorsWriter.write(dir.resolve("model.safetensors"), plan, java.util.Map.of("format", "pt"), source);
        return dir;
    }

    private static void fill(SafetensorsWriter.Planned t, int row, float[] dst) {
        Arrays.fill(dst, 0.01f);
    }

    @Test
    void goodModelInspects() {
        Cli r = Cli.run("inspect", good.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"model_type\" : \"llama\"", "\"hidden_size\" : 64", "\"num_layers\" : 2",
                "\"num_heads\" : 4", "\"num_kv_heads\" : 2", "\"head_dim\" : 16", "\"intermediate_size\" : 160",
                "\"vocab_size\" : 512", "\"parameters\" : " + spec.parameters(), "\"weights_checked\" : true");
    }

    @Test
    void missingConfig() throws IOException {
        Path dir = copy("noconfig");
        Files.delete(dir.resolve("config.json"));
        inspectFails(dir, dir + ": no config.json");
        inspectFails(tmp.resolve("nowhere"), "no such file or directory");
    }

    @Test
    void unknownModelType() throws IOException {
        Path dir = copy("mistral");
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"model_type\": \"llama\"", "\"model_type\": \"mistral\""));
        inspectFails(dir, "model_type 'mistral' is not supported (supported: llama, qwen2, qwen3, phi3, gemma)");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        Path dir = copy("truncated");
        Path st = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        Files.write(st, Arrays.copyOf(all, all.length - 1000));
        inspectFails(dir, st.toString(), "out of range", "truncated file");
    }

    @Test
    void headerLengthBeyondFile() throws IOException {
        Path dir = copy("hugeheader");
        Path st = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(st, all);
        inspectFails(dir, "header length 1099511627776 is beyond the file size");
    }

    @Test
    void offsetsOutOfRangeOverlappingAndUnknownDtype() throws IOException {
        String[] cases = {
            RawSafetensors.entry("model.norm.weight", "F32", "[4]", 0, 16) + "," + RawSafetensors.entry("x", "F32", "[4]", 8, 24),
            RawSafetensors.entry("model.norm.weight", "F32", "[4]", 64, 80),
            RawSafetensors.entry("model.norm.weight", "F12", "[4]", 0, 16),
        };
        String[] expected = {"tensors 'model.norm.weight' and 'x' overlap", "are out of range", "unknown dtype 'F12'"};
        for (int i = 0; i < cases.length; i++) {
            Path dir = copy("raw" + i);
            RawSafetensors.write(dir.resolve("model.safetensors").toAbsolutePath(), "{" + cases[i] + "}",
                    RawSafetensors.f32(1, 2, 3, 4, 5, 6));
            inspectFails(dir, "model.safetensors: tensor", expected[i]);
        }
    }

    @Test
    void wrongShape() throws IOException {
        Path dir = copy("shape");
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"intermediate_size\": 160", "\"intermediate_size\": 128"));
        inspectFails(dir, "tensor 'model.layers.0.mlp.gate_proj.weight' has shape [160, 64], expected [128, 64]");
    }

    @Test
    void missingTensor() throws IOException {
        Path dir = rewrite("missing", n -> !n.equals("model.layers.1.mlp.up_proj.weight"), BadModelCliTest::fill);
        inspectFails(dir, "tensor 'model.layers.1.mlp.up_proj.weight' is missing");
    }

    @Test
    void unsupportedDtypeOfAUsedTensor() throws IOException {
        Path dir = copy("int8");
        RawSafetensors.write(dir.resolve("model.safetensors"), "{" + RawSafetensors.entry("model.embed_tokens.weight", "I8",
                "[512,64]", 0, 512 * 64) + "}", new byte[512 * 64]);
        inspectFails(dir, "tensor 'model.embed_tokens.weight' has dtype I8; supported: F16, BF16, F32");
    }

    @Test
    void unexpectedTensor() throws IOException {
        Path dir = copy("extra");
        Files.delete(dir.resolve("model.safetensors"));
        List<SafetensorsWriter.Planned> plan = new java.util.ArrayList<>(TinyWriter.plan(spec, Dtype.BF16));
        plan.add(new SafetensorsWriter.Planned("model.layers.0.self_attn.o_proj.bias", Dtype.BF16, 1, 64, true));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), plan, java.util.Map.of(), BadModelCliTest::fill);
        inspectFails(dir, "unexpected tensors", "model.layers.0.self_attn.o_proj.bias");
    }

    /**
     * NaN/Inf in a matrix: loading is lazy and succeeds; the first read of the row fails naming
     * tensor, row and column; inspect reads every row and so reports it.
     */
    @Test
    void nonFiniteMatrixWeights() throws IOException {
        String bad = "model.layers.1.self_attn.k_proj.weight";
        Path dir = rewrite("nan", n -> true, (t, row, dst) -> {
            fill(t, row, dst);
            if (t.name().equals(bad) && row == 3) {
                dst[5] = Float.NaN;
            }
        });
        inspectFails(dir, "tensor '" + bad + "' contains NaN at row 3, column 5");
        assertThat(Cli.run("inspect", dir.toString(), "--no-check").exit()).isZero();
        LoadedWeights w = ModelLoader.loadWeights(dir);
        assertThat(w.layer(1).wk().row(2)).containsOnly(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(0.01f)));
        assertThatThrownBy(() -> w.layer(1).wk().row(3)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("contains NaN at row 3, column 5");
        // A read that failed leaves the row unverified: it fails again, never silently passes.
        assertThatThrownBy(() -> w.layer(1).wk().row(3)).isInstanceOf(FornaxException.class);

        Path inf = rewrite("inf", n -> true, (t, row, dst) -> {
            fill(t, row, dst);
            if (t.name().equals("model.embed_tokens.weight") && row == 500) {
                dst[0] = Float.NEGATIVE_INFINITY;
            }
        });
        inspectFails(inf, "tensor 'model.embed_tokens.weight' contains -Inf at row 500, column 0");
    }

    /** NaN/Inf in a vector (norm, bias): vectors are decoded on load, so loading itself fails. */
    @Test
    void nonFiniteNormFailsTheLoad() throws IOException {
        Path dir = rewrite("infnorm", n -> true, (t, row, dst) -> {
            fill(t, row, dst);
            if (t.name().equals("model.layers.0.post_attention_layernorm.weight")) {
                dst[7] = Float.POSITIVE_INFINITY;
            }
        });
        inspectFails(dir, "tensor 'model.layers.0.post_attention_layernorm.weight' contains an infinity at index 7");
        assertThatThrownBy(() -> ModelLoader.loadWeights(dir)).isInstanceOf(FornaxException.class);
    }

    @Test
    void llama2cHeaderInconsistentWithFileSize() throws IOException {
        byte[] bin = Files.readAllBytes(Llama2cReaderTest.BUNDLED);
        Path cut = Files.write(tmp.resolve("cut.bin"), Arrays.copyOf(bin, bin.length / 2));
        inspectFails(cut, "cut.bin: size 528270 bytes does not match its llama2.c header");
        Path tiny = Files.write(tmp.resolve("tiny.bin"), new byte[10]);
        inspectFails(tiny, "too short for a llama2.c checkpoint header");
    }
}
