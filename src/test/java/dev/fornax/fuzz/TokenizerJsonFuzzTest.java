package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.tokenizer.Tokenizer;
import dev.fornax.tokenizer.hf.HfTokenizer;
import java.nio.file.Path;

/**
 * tokenizer.json: load (model, merges, normalizer, pre-tokenizer with its regexes, post-processor,
 * decoder, added tokens), then encode a fixed text and decode the ids back, and decode every id.
 */
class TokenizerJsonFuzzTest {
    static final String TEXT = "Hello wörld, 123 <s>! \u2581\u00e9\u4e16 \n\t ab";

    @FuzzTest(maxDuration = "8s")
    @DictionaryEntries({"\"model\"", "\"type\"", "\"BPE\"", "\"vocab\"", "\"merges\"", "\"added_tokens\"",
            "\"normalizer\"", "\"pre_tokenizer\"", "\"post_processor\"", "\"decoder\"", "\"Split\"", "\"Regex\"",
            "\"String\"", "\"pattern\"", "\"behavior\"", "\"Isolated\"", "\"ByteLevel\"", "\"Metaspace\"",
            "\"Sequence\"", "\"Replace\"", "\"TemplateProcessing\"", "\"ByteFallback\"", "\"byte_fallback\"",
            "\"Strip\"", "\"Fuse\"", "\"special\"", "\"content\"", "\"id\"", "\"unk_token\"", "(a+)+", "\\\\p{L}"})
    void tokenizerJson(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        Path file = FuzzProperty.write(dir.resolve("tokenizer.json"), bytes);
        FuzzProperty.check(file, () -> exercise(HfTokenizer.load(file, null)));
    }

    static void exercise(Tokenizer t) {
        int[] ids = t.encode(TEXT, true);
        t.decode(ids, false);
        t.decode(ids, true);
        int n = Math.min(t.vocabSize(), 300);
        Tokenizer.StreamDecoder d = t.streamDecoder(true);
        for (int id = 0; id < n; id++) {
            try {
                d.next(id);
            } catch (dev.fornax.FornaxException e) {
                // an id in a hole of the vocabulary: refused, that is allowed
                if (!e.getMessage().contains("is not in the vocabulary")) {
                    throw e;
                }
            }
        }
        d.finish();
    }
}
