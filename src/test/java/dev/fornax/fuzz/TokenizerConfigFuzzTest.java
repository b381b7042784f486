package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.tokenizer.hf.HfTokenizer;
import java.nio.file.Path;

/**
 * tokenizer_config.json next to a valid SentencePiece-style tokenizer.json (FuzzSeeds): the
 * transformers class, add_bos_token/add_eos_token and the bos/eos tokens it rebuilds the
 * post-processor from.
 */
class TokenizerConfigFuzzTest {
    @FuzzTest(maxDuration = "8s")
    @DictionaryEntries({"\"tokenizer_class\"", "\"LlamaTokenizerFast\"", "\"GemmaTokenizer\"",
            "\"CodeLlamaTokenizer\"", "\"add_bos_token\"", "\"add_eos_token\"", "\"bos_token\"", "\"eos_token\"",
            "\"content\"", "\"<s>\"", "\"</s>\"", "true", "false", "null", "\"chat_template\""})
    void tokenizerConfig(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        Path tokenizer = FuzzProperty.write(dir.resolve("tokenizer.json"), FuzzSeeds.sentencePieceTokenizerJson());
        Path config = FuzzProperty.write(dir.resolve("tokenizer_config.json"), bytes);
        FuzzProperty.check(dir, () -> TokenizerJsonFuzzTest.exercise(HfTokenizer.load(tokenizer, config)));
    }
}
