package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading rules and errors, on small hand-written tokenizer.json files. */
class TokenizerJsonReaderTest {
    @TempDir
    Path dir;

    /** A SentencePiece-style BPE: ▁ for spaces, <s> BOS template, merges ▁ a → ▁a, ▁a b → ▁ab. */
    private static final String SENTENCEPIECE = """
            {"version": "1.0",
             "added_tokens": [
               {"id": 0, "content": "<unk>", "special": true, "normalized": false,
                "lstrip": false, "rstrip": false, "single_word": false},
               {"id": 1, "content": "<s>", "special": true, "normalized": false,
                "lstrip": false, "rstrip": false, "single_word": false},
               {"id": 2, "content": "</s>", "special": true, "normalized": false,
                "lstrip": false, "rstrip": false, "single_word": false}],
             "normalizer": {"type": "Sequence", "normalizers": [
               {"type": "Prepend", "prepend": "▁"},
               {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
             "pre_tokenizer": null,
             "post_processor": {"type": "TemplateProcessing",
               "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
               "pair": [],
               "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
             "decoder": {"type": "Sequence", "decoders": [
               {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
               {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
             "model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": false,
               "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "▁": 3, "a": 4, "b": 5, "▁a": 6, "▁ab": 7},
               "merges": ["▁ a", "▁a b"]}}
            """;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void encodesWithTheFilesComponents() throws IOException {
        HfTokenizer tok = HfTokenizer.load(write("tokenizer.json", SENTENCEPIECE), null);
        assertThat(tok.encode("ab a", true)).containsExactly(1, 7, 6);
        assertThat(tok.encode("ab a", false)).containsExactly(7, 6);
        // unknown characters: one fused <unk> (fuse_unk), no byte fallback in this model
        assertThat(tok.encode("aZZb", false)).containsExactly(6, 0, 5);
        assertThat(tok.decode(new int[] {1, 7, 6})).isEqualTo("<s> ab a");
        assertThat(tok.vocabSize()).isEqualTo(8);
    }

    @Test
    void llamaAndGemmaClassesTakeBosAndEosFromTheConfig() throws IOException {
        Path json = write("tokenizer.json", SENTENCEPIECE);
        Path noBos = write("a.json", "{\"tokenizer_class\": \"LlamaTokenizer\", \"add_bos_token\": false}");
        assertThat(HfTokenizer.load(json, noBos).encode("a", true)).containsExactly(6);
        Path withEos = write("b.json", "{\"tokenizer_class\": \"LlamaTokenizerFast\", \"add_eos_token\": true,"
                + " \"eos_token\": {\"content\": \"</s>\", \"special\": true}}");
        assertThat(HfTokenizer.load(json, withEos).encode("a", true)).containsExactly(1, 6, 2);
        assertThat(HfTokenizer.load(json, withEos).encode("a", false)).containsExactly(6);
        // other classes keep tokenizer.json's post-processor whatever add_bos_token says
        Path qwen = write("c.json", "{\"tokenizer_class\": \"Qwen2Tokenizer\", \"add_bos_token\": false}");
        assertThat(HfTokenizer.load(json, qwen).encode("a", true)).containsExactly(1, 6);
        // GemmaTokenizer's default BOS is <bos>, which this vocabulary lacks
        Path gemma = write("d.json", "{\"tokenizer_class\": \"GemmaTokenizer\"}");
        assertThatThrownBy(() -> HfTokenizer.load(json, gemma)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("d.json").hasMessageContaining("bos_token \"<bos>\" is not in");
    }

    /** Found by TokenizerJsonFuzzTest: the error came only while encoding and did not name the file. */
    @Test
    void anUnkTokenMissingFromTheVocabularyIsNamedWithItsFileWhenNeeded() throws IOException {
        Path file = write("tokenizer.json", SENTENCEPIECE.replace("\"unk_token\": \"<unk>\"", "\"unk_token\": \"?unk>\""));
        HfTokenizer tok = HfTokenizer.load(file, null);
        assertThat(tok.encode("ab", false)).containsExactly(7); // no unknown character: no unk needed
        assertThatThrownBy(() -> tok.encode("aZ", false)).isInstanceOf(FornaxException.class)
                .hasMessage(file + ": the BPE unk_token \"?unk>\" is not in the vocabulary");
    }

    @Test
    void mergesAsPairsEqualMergesAsStrings() throws IOException {
        HfTokenizer legacy = HfTokenizer.load(write("tokenizer.json", SENTENCEPIECE), null);
        HfTokenizer pairs = HfTokenizer.load(write("pairs.json",
                SENTENCEPIECE.replace("[\"▁ a\", \"▁a b\"]", "[[\"▁\", \"a\"], [\"▁a\", \"b\"]]")), null);
        assertThat(pairs.encode("ab ab a", true)).containsExactly(legacy.encode("ab ab a", true)).containsExactly(1, 7, 7, 6);
    }

    @Test
    void corruptOrUnsupportedFilesNameTheProblem() throws IOException {
        assertError(SENTENCEPIECE.replace("\"merges\": [", "\"merges\": [\"▁ zz\", "),
                "model.merges[0]: \"zz\" is not in model.vocab");
        assertError(SENTENCEPIECE.replace("\"▁a b\"]", "\"▁a b c\"]"), "model.merges[1]");
        assertError(SENTENCEPIECE.replace("\"type\": \"BPE\"", "\"type\": \"Unigram\""), "only BPE");
        assertError(SENTENCEPIECE.replace("\"dropout\": null", "\"dropout\": 0.1"), "dropout");
        assertError(SENTENCEPIECE.replace("\"pre_tokenizer\": null", "\"pre_tokenizer\": {\"type\": \"Whitespace\"}"),
                "pre_tokenizer: pre_tokenizer type Whitespace is not supported");
        assertError(SENTENCEPIECE.replace("{\"type\": \"Fuse\"}", "{\"type\": \"WordPiece\"}"),
                "decoder.decoders[2]: decoder type WordPiece is not supported");
        assertError(SENTENCEPIECE.replace("\"b\": 5", "\"b\": 4"), "have the same id 4");
        assertError(SENTENCEPIECE.replace("\"ids\": [1]", "\"ids\": []"), "special token \"<s>\" has no ids");
        assertError(SENTENCEPIECE.substring(0, 300), "invalid JSON");
        assertError("[1, 2]", "not a tokenizer.json");
        assertError("{\"model\": {\"merges\": []}}", "no model.vocab");
    }

    private void assertError(String content, String message) throws IOException {
        Path file = write("bad.json", content);
        assertThatThrownBy(() -> HfTokenizer.load(file, null)).isInstanceOf(FornaxException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(message);
    }

    @Test
    void addedTokensMatchLongestFirstAndHonourStripFlags() throws IOException {
        String json = SENTENCEPIECE.replace("\"added_tokens\": [", """
                "added_tokens": [
                  {"id": 8, "content": "<a>", "special": false, "normalized": false,
                   "lstrip": true, "rstrip": true, "single_word": false},
                  {"id": 9, "content": "<a>b", "special": false, "normalized": false,
                   "lstrip": false, "rstrip": false, "single_word": false},
                  {"id": 10, "content": "ab", "special": false, "normalized": false,
                   "lstrip": false, "rstrip": false, "single_word": true},
                """);
        HfTokenizer tok = HfTokenizer.load(write("tokenizer.json", json), null);
        assertThat(tok.encode("<a>b", false)).containsExactly(9); // longest match
        assertThat(tok.encode("a  <a>  a", false)).containsExactly(6, 8, 6); // spaces swallowed
        assertThat(tok.encode("ab", false)).containsExactly(10);
        assertThat(tok.encode("xab", false)).doesNotContain(10); // not a single word there
        assertThat(tok.vocabSize()).isEqualTo(11);
        assertThat(tok.decode(new int[] {6, 8, 6})).isEqualTo("a<a> a");
    }
}
