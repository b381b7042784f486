package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.gguf.GgufBytes;
import dev.fornax.tokenizer.Tokenizer;
import dev.fornax.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer.ggml.* rules on tiny hand-made vocabularies, with results worked out by hand. */
class GgufVocabularyTest {
    @TempDir
    Path dir;

    private Tokenizer open(GgufBytes gguf) throws IOException {
        Path p = dir.resolve("v.gguf");
        Files.write(p, gguf.build());
        return Tokenizers.open(p);
    }

    /** SentencePiece: merges by the merged piece's score; ▁ prefix; control tokens are special. */
    @Test
    void sentencePieceMergesFollowTheScores() throws IOException {
        Tokenizer t = open(new GgufBytes()
                .string("tokenizer.ggml.model", "llama")
                .stringArray("tokenizer.ggml.tokens", "<unk>", "<s>", "</s>", "▁", "a", "b", "▁a", "ab", "▁ab")
                .floatArray("tokenizer.ggml.scores", 0, 0, 0, -1, -2, -3, -4, -5, -6)
                .intArray("tokenizer.ggml.token_type", 2, 3, 3, 1, 1, 1, 1, 1, 1)
                .u32("tokenizer.ggml.bos_token_id", 1)
                .u32("tokenizer.ggml.eos_token_id", 2));
        // ▁ a b: (▁,a)→▁a scores -4, better than (a,b)→ab -5; then (▁a,b)→▁ab
        assertThat(t.encode("ab", false)).containsExactly(8);
        assertThat(t.encode("ab", true)).containsExactly(1, 8); // add_bos defaults to true for SentencePiece
        // ▁ b ▁ a: only (▁,a) merges; "c" is unknown (no byte tokens) → <unk>
        assertThat(t.encode("b a", false)).containsExactly(3, 5, 6);
        assertThat(t.encode("c", false)).containsExactly(3, 0);
        assertThat(t.encode("a</s>", false)).containsExactly(6, 2); // a typed special token is recognised
        assertThat(t.decode(new int[] {8, 3, 5, 6})).isEqualTo("ab b a");
    }

    @Test
    void sentencePieceWithoutSpacePrefix() throws IOException {
        Tokenizer t = open(new GgufBytes()
                .string("tokenizer.ggml.model", "llama")
                .stringArray("tokenizer.ggml.tokens", "<unk>", "<s>", "▁", "a", "b", "▁a", "ab")
                .floatArray("tokenizer.ggml.scores", 0, 0, -1, -2, -3, -4, -5)
                .intArray("tokenizer.ggml.token_type", 2, 3, 1, 1, 1, 1, 1)
                .bool("tokenizer.ggml.add_space_prefix", false)
                .bool("tokenizer.ggml.add_bos_token", false));
        assertThat(t.encode("ab a", true)).containsExactly(6, 5);
        assertThat(t.decode(new int[] {6, 5})).isEqualTo("ab a");
    }

    /** Byte-level BPE: merges by rank from tokenizer.ggml.merges, the gpt-2 regex, byte-level alphabet. */
    @Test
    void byteLevelMergesAndAddedTokens() throws IOException {
        Tokenizer t = open(new GgufBytes()
                .string("tokenizer.ggml.model", "gpt2")
                .string("tokenizer.ggml.pre", "gpt-2")
                .stringArray("tokenizer.ggml.tokens", "a", "b", "Ġ", "ab", "Ġa", "Ġab", "<|end|>", "[PAD7]")
                .intArray("tokenizer.ggml.token_type", 1, 1, 1, 1, 1, 1, 3, 5)
                .stringArray("tokenizer.ggml.merges", "Ġ a", "a b", "Ġa b")
                .u32("tokenizer.ggml.bos_token_id", 6)
                .bool("tokenizer.ggml.add_bos_token", true));
        // "ab ab": pieces "ab", "Ġab"; a b: (a,b) rank 1; Ġ a b: (Ġ,a) rank 0 first, then (Ġa,b) rank 2
        assertThat(t.encode("ab ab", false)).containsExactly(3, 5);
        assertThat(t.encode(" b", false)).containsExactly(2, 1); // no "Ġ b" merge
        assertThat(t.encode("ab ab", true)).containsExactly(6, 3, 5);
        assertThat(t.encode("b<|end|>a", false)).containsExactly(1, 6, 0);
        assertThat(t.decode(new int[] {3, 5, 6})).isEqualTo("ab ab<|end|>");
    }

    @Test
    void refusesWhatItCannotReproduce() throws IOException {
        assertThatThrownBy(() -> open(new GgufBytes().string("tokenizer.ggml.model", "bert")
                .stringArray("tokenizer.ggml.tokens", "a")))
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining("metadata 'tokenizer.ggml.model' is 'bert', which is not supported");
        assertThatThrownBy(() -> open(new GgufBytes().string("tokenizer.ggml.model", "gpt2")
                .string("tokenizer.ggml.pre", "klingon").stringArray("tokenizer.ggml.tokens", "a")
                .stringArray("tokenizer.ggml.merges")))
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining("metadata 'tokenizer.ggml.pre' is 'klingon', a pre-tokenizer that is not supported");
        assertThatThrownBy(() -> open(new GgufBytes().string("tokenizer.ggml.model", "gpt2")
                .stringArray("tokenizer.ggml.tokens", "a", "b").stringArray("tokenizer.ggml.merges", "a c")))
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining("'tokenizer.ggml.merges' entry 0 \"a c\" names a token that is not in");
        assertThatThrownBy(() -> open(new GgufBytes().string("tokenizer.ggml.model", "llama")
                .stringArray("tokenizer.ggml.tokens", "a", "b").floatArray("tokenizer.ggml.scores", 0)))
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining("'tokenizer.ggml.scores' has 1 entries for 2 tokens");
        assertThatThrownBy(() -> open(new GgufBytes().u32("general.alignment", 32)))
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining("this GGUF file has no tokenizer");
    }

    /** Every pre-tokenizer name in the table compiles (the regexes are llama.cpp's). */
    @Test
    void everyKnownPreTokenizerCompiles() {
        for (String name : PreTokenizers.supported().split(", ")) {
            assertThat(PreTokenizers.of(name)).as(name).isNotNull();
        }
        assertThat(PreTokenizers.of("llama-bpe").ignoreMerges()).isTrue();
        assertThat(PreTokenizers.of("qwen2").normalizer()).isNotNull();
    }
}
