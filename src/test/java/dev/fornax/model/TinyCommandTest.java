package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tiny} command line as later issues use it, and its errors. */
class TinyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesAWideVocabularyModelThatInspects() {
        Path out = tmp.resolve("wide");
        Cli w = Cli.run("tiny", "--arch", "qwen2", "--hidden", "32", "--layers", "1", "--heads", "2", "--kv-heads", "1",
                "--intermediate", "48", "--vocab", "131072", "-o", out.toString(), "--seed", "3", "--dtype", "f32",
                "--shards", "2");
        assertThat(w.exit()).as(w.err()).isZero();
        assertThat(w.out()).contains("wrote " + out.toAbsolutePath(), "vocab 131072", "in 4 file(s)");
        Cli i = Cli.run("inspect", out.toString(), "--json");
        assertThat(i.exit()).as(i.err()).isZero();
        assertThat(i.out()).contains("\"model_type\" : \"qwen2\"", "\"vocab_size\" : 131072", "\"hidden_size\" : 32",
                "\"head_dim\" : 16", "\"storage\" : \"F32\"", "\"qkv_bias\" : true");
    }

    @Test
    void presetWithOverriddenLayers() {
        Path out = tmp.resolve("llama");
        Cli w = Cli.run("tiny", "--arch", "llama", "--preset", "llama-3.2-1b", "--layers", "1", "--vocab", "1000",
                "--hidden", "256", "--heads", "8", "--kv-heads", "2", "--intermediate", "512", "-o", out.toString());
        assertThat(w.exit()).as(w.err()).isZero();
        LoadedWeights m = ModelLoader.loadWeights(out);
        assertThat(m.spec().rope().theta()).isEqualTo(500000.0); // the preset's family fields stay
        assertThat(m.spec().headDim()).isEqualTo(32);
    }

    @Test
    void badOptionsGiveOneLine() {
        String[][] cases = {
            {"tiny", "--arch", "mistral", "-o", tmp.resolve("a").toString()},
            {"tiny", "--arch", "llama", "--preset", "gemma-2b", "-o", tmp.resolve("b").toString()},
            {"tiny", "--arch", "llama", "--dtype", "f16", "-o", tmp.resolve("c").toString()},
            {"tiny", "--arch", "gemma", "--heads", "3", "--kv-heads", "2", "-o", tmp.resolve("d").toString()},
        };
        String[] messages = {
            "--arch mistral is not supported (supported: llama, qwen2, qwen3, phi3, gemma)",
            "--preset gemma-2b is a gemma model, not --arch llama",
            "--dtype f16 is not supported (bf16, f32)",
            "--heads 3 is not a multiple of --kv-heads 2",
        };
        for (int k = 0; k < cases.length; k++) {
            Cli r = Cli.run(cases[k]);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("fornax: " + messages[k] + System.lineSeparator());
        }
    }
}
