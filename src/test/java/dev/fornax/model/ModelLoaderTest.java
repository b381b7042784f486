package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Format detection and the tokenizer found next to the model. */
class ModelLoaderTest {
    @Test
    void llama2cCheckpointFindsItsTokenizer() {
        try (LoadedModel m = ModelLoader.load(Llama2cReaderTest.BUNDLED, null)) {
            assertThat(m.tokenizer()).isNotNull();
            assertThat(m.tokenizer().vocabSize()).isEqualTo(512);
            // llama2.c encodes with BOS: "Once upon a time" → 1 403 407 261 378 (FIELD-NOTES §1).
            assertThat(m.tokenizer().encode("Once upon a time", true)).containsExactly(1, 403, 407, 261, 378);
        }
    }

    @Test
    void hfDirectoryFindsTokenizerJson() {
        Path dir = Shared.require("models/stories260K-hf");
        try (LoadedModel m = ModelLoader.load(dir, null)) {
            assertThat(m.tokenizer()).isNotNull();
            assertThat(m.tokenizer().encode("Once upon a time", true)).containsExactly(1, 403, 407, 261, 378);
        }
        // A file inside the directory names the same model.
        try (LoadedModel m = ModelLoader.load(dir.resolve("config.json"), null)) {
            assertThat(m.weights().spec().vocab()).isEqualTo(512);
            assertThat(m.tokenizer()).isNotNull();
        }
    }

    @Test
    void fixturesHaveNoTokenizerAndAnExplicitOneIsUsed() {
        Path llama = Shared.require("fixtures/hf/llama");
        try (LoadedModel m = ModelLoader.load(llama, null)) {
            assertThat(m.tokenizer()).isNull();
        }
        Path tok = Path.of("models/stories260K/tok512.bin");
        try (LoadedModel m = ModelLoader.load(Llama2cReaderTest.BUNDLED, tok)) {
            assertThat(m.tokenizer().vocabSize()).isEqualTo(512);
        }
        // 512 tokens for a model with 448 embedding rows: ids 448..511 could never be fed to it
        assertThatThrownBy(() -> ModelLoader.load(llama, tok)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("tok512.bin: token id 511 is outside the vocabulary of the model");
        assertThatThrownBy(() -> ModelLoader.load(llama, Path.of("no/such/tok.bin"))).isInstanceOf(FornaxException.class);
    }
}
