package dev.fornax.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.testing.Shared;
import dev.fornax.tokenizer.hf.HfTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {
    static final Path CHECKPOINT = Path.of("models/stories260K/stories260K.bin");
    static final Path TOK512 = Llama2cTokenizerTest.TOK512;

    @TempDir
    Path dir;

    @Test
    void opensTokenizerFiles() {
        assertThat(Tokenizers.open(TOK512)).isInstanceOf(Llama2cTokenizer.class)
                .extracting(Tokenizer::vocabSize).isEqualTo(512);
        Path json = Shared.require("models/stories260K-hf/tokenizer.json");
        assertThat(Tokenizers.open(json)).isInstanceOf(HfTokenizer.class);
    }

    @Test
    void openRejectsWhatIsNotATokenizer() throws IOException {
        assertThatThrownBy(() -> Tokenizers.open(CHECKPOINT)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("stories260K.bin is a llama2.c model checkpoint, not a tokenizer");
        assertThatThrownBy(() -> Tokenizers.open(dir)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("is a directory");
        assertThatThrownBy(() -> Tokenizers.open(dir.resolve("missing.json"))).isInstanceOf(FornaxException.class)
                .hasMessageContaining("missing.json: no such file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "just some notes, not a tokenizer at all\n");
        assertThatThrownBy(() -> Tokenizers.open(text)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("notes.txt");
    }

    @Test
    void findsTheLlama2cTokenizerNextToACheckpoint() throws IOException {
        Tokenizer tok = Tokenizers.findNextTo(CHECKPOINT);
        assertThat(tok).isInstanceOf(Llama2cTokenizer.class);
        assertThat(tok.encode("Once upon a time", true)).containsExactly(1, 403, 407, 261, 378);

        Path lonely = Files.copy(CHECKPOINT, dir.resolve("model.bin"));
        assertThat(Tokenizers.findNextTo(lonely)).isNull();
        assertThatThrownBy(() -> Tokenizers.forModelOrFile(lonely)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("no tokenizer found for").hasMessageContaining("tok*.bin");

        // llama2.c's default name, and a single tok*.bin of another name, are found too
        Files.copy(TOK512, dir.resolve("tokenizer.bin"));
        assertThat(Tokenizers.findNextTo(lonely).vocabSize()).isEqualTo(512);
        Files.delete(dir.resolve("tokenizer.bin"));
        Files.copy(TOK512, dir.resolve("tok_custom.bin"));
        assertThat(Tokenizers.findNextTo(lonely).vocabSize()).isEqualTo(512);
        Files.copy(TOK512, dir.resolve("tok_other.bin"));
        assertThatThrownBy(() -> Tokenizers.findNextTo(lonely)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("several tokenizers");
    }

    @Test
    void theCheckpointsVocabSizeIsEnforced() throws IOException {
        // a tokenizer with fewer tokens than the checkpoint's vocab_size is truncated for it
        byte[] bytes = Files.readAllBytes(TOK512);
        Path checkpoint = Files.copy(CHECKPOINT, dir.resolve("model.bin"));
        Files.write(dir.resolve("tok512.bin"), java.util.Arrays.copyOf(bytes, bytes.length - 20));
        assertThatThrownBy(() -> Tokenizers.findNextTo(checkpoint)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("tok512.bin: truncated");
    }

    @Test
    void findsTheTokenizerOfAnHfDirectory() throws IOException {
        Path hf = Shared.require("models/stories260K-hf");
        assertThat(Tokenizers.findNextTo(hf)).isInstanceOf(HfTokenizer.class);
        assertThat(Tokenizers.findNextTo(dir)).isNull();
        assertThatThrownBy(() -> Tokenizers.forModelOrFile(dir)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("no tokenizer.json");
        Path junk = Files.writeString(dir.resolve("junk.bin"), "xx");
        assertThatThrownBy(() -> Tokenizers.findNextTo(junk)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("neither an HF model directory nor a llama2.c checkpoint");
    }

    @Test
    void tokenizerJsonUsesTheConfigBesideIt() throws IOException {
        Path hf = Shared.require("models/stories260K-hf");
        Files.copy(hf.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        assertThat(Tokenizers.open(dir.resolve("tokenizer.json")).encode("Once", true)).startsWith(1);
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"tokenizer_class\": \"LlamaTokenizer\", \"add_bos_token\": false}");
        assertThat(Tokenizers.open(dir.resolve("tokenizer.json")).encode("Once", true)).containsExactly(403);
    }
}
