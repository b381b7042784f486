package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regexes from tokenizer.json that backtrack catastrophically (issue 13 item 2: `tokenize` ran
 * for minutes on 40 characters). Matching stops at Oniguruma's retry limit with one line naming
 * the file and the regex; real splitters never come near the budget.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed goal
class CatastrophicRegexTest {
    @TempDir
    Path tmp;

    private Path tokenizer(String preTokenizer, String normalizer) throws Exception {
        String json = "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \",\": 2, \"X\": 3}, \"merges\": []},"
                + " \"normalizer\": " + normalizer + ", \"pre_tokenizer\": " + preTokenizer + "}";
        return Files.writeString(tmp.resolve("tokenizer.json"), json);
    }

    private static String split(String regex) {
        return "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"" + regex + "\"}, \"behavior\": \"Isolated\", \"invert\": false}";
    }

    @Test
    void nestedQuantifierSplitStopsAtTheRetryLimit() throws Exception {
        Path f = tokenizer(split("((a+)+)+b"), "null");
        HfTokenizer t = HfTokenizer.load(f, null);
        assertThatThrownBy(() -> t.encode("a".repeat(40), false)).isInstanceOf(FornaxException.class)
                .hasMessageStartingWith(f + ": regex \"((a+)+)+b\" gave up after 10,000,000 steps on one match")
                .hasMessageContaining("40 characters");
    }

    @Test
    void repeatedWildcardGroupSplitStopsAtTheRetryLimit() throws Exception {
        Path f = tokenizer(split("(.*,){14}X"), "null");
        HfTokenizer t = HfTokenizer.load(f, null);
        assertThatThrownBy(() -> t.encode(",".repeat(40), false)).hasMessageContaining("gave up after");
    }

    @Test
    void catastrophicReplaceNormalizerStopsToo() throws Exception {
        String replace = "{\"type\": \"Replace\", \"pattern\": {\"Regex\": \"((a+)+)+b\"}, \"content\": \"\"}";
        Path f = tokenizer("null", replace);
        HfTokenizer t = HfTokenizer.load(f, null);
        assertThatThrownBy(() -> t.encode("a".repeat(40), false)).hasMessageStartingWith(f + ": regex");
    }

    @Test
    void regexNestedTooDeeplyToCompile() throws Exception {
        Path f = tokenizer(split("(".repeat(50_000) + "a" + ")".repeat(50_000)), "null");
        assertThatThrownBy(() -> HfTokenizer.load(f, null)).isInstanceOf(FornaxException.class)
                .hasMessageContaining(f + ": pre_tokenizer.pattern: regex");
    }

    @Test
    void realSplittersStayFarBelowTheBudgetOnLongText() {
        // the GPT-2 byte-level splitter on 2 MB of ordinary and of degenerate text
        PreTokenizer gpt2 = new PreTokenizer.ByteLevel(false, true);
        String prose = "Once upon a time, there was a little girl named Lily. She liked 123 apples!\n".repeat(27_000);
        String spaces = " ".repeat(2_000_000);
        assertThat(gpt2.apply(List.of(new PreTokenizer.Piece(prose, true)))).hasSizeGreaterThan(400_000);
        assertThat(gpt2.apply(List.of(new PreTokenizer.Piece(spaces, true)))).hasSize(1);
    }
}
