package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.tokenizer.hf.PreTokenizer.Piece;
import dev.fornax.tokenizer.hf.PreTokenizer.PrependScheme;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Expected pieces are those of HF tokenizers' own unit tests and docs (cited per test). */
class PreTokenizerTest {
    private static List<String> texts(List<Piece> pieces) {
        return pieces.stream().map(Piece::text).toList();
    }

    private static List<Piece> pieces(String... texts) {
        // as after an added-token split: only the first piece starts the input
        return Arrays.stream(texts).map(t -> new Piece(t, t == texts[0])).toList();
    }

    @Test
    void splitBehaviorsAsDocumentedByHf() {
        // tokenizers SplitDelimiterBehavior docs: "the-final--countdown" split on '-'
        Pattern dash = OnigRegex.literal("-");
        String text = "the-final--countdown";
        assertThat(spans(text, dash, SplitBehavior.REMOVED)).containsExactly("the", "final", "countdown");
        assertThat(spans(text, dash, SplitBehavior.ISOLATED))
                .containsExactly("the", "-", "final", "-", "-", "countdown");
        assertThat(spans(text, dash, SplitBehavior.MERGED_WITH_PREVIOUS))
                .containsExactly("the-", "final-", "-", "countdown");
        assertThat(spans(text, dash, SplitBehavior.MERGED_WITH_NEXT))
                .containsExactly("the", "-final", "-", "-countdown");
        assertThat(spans(text, dash, SplitBehavior.CONTIGUOUS)).containsExactly("the", "-", "final", "--", "countdown");
    }

    @Test
    void invertedSplitKeepsTheMatchesAsPieces() {
        // invert: the matches are the content, the rest the delimiters (tokenizers split.rs tests)
        Pattern word = OnigRegex.compile("\\w+", "test");
        PreTokenizer split = new PreTokenizer.Split(word, SplitBehavior.REMOVED, true);
        assertThat(texts(split.apply(pieces("Hey, man!")))).containsExactly("Hey", "man");
    }

    private static List<String> spans(String text, Pattern pattern, SplitBehavior behavior) {
        return behavior.split(text, pattern, false).stream().map(s -> text.substring(s[0], s[1])).toList();
    }

    @Test
    void byteLevelGpt2Regex() {
        // tokenizers pre_tokenizers/byte_level.rs: pre_tokenization, add_prefix_space, no_regex
        String text = "Hello my friend, how is your day going?";
        assertThat(texts(new PreTokenizer.ByteLevel(false, true).apply(pieces(text)))).containsExactly(
                "Hello", "Ġmy", "Ġfriend", ",", "Ġhow", "Ġis", "Ġyour", "Ġday", "Ġgoing", "?");
        assertThat(texts(new PreTokenizer.ByteLevel(true, true).apply(pieces(" " + text)))).first()
                .isEqualTo("ĠHello");
        assertThat(texts(new PreTokenizer.ByteLevel(true, false).apply(pieces(text))))
                .containsExactly("ĠHelloĠmyĠfriend,ĠhowĠisĠyourĠdayĠgoing?");
    }

    @Test
    void byteLevelAlphabetIsGpt2s() {
        // GPT-2 bytes_to_unicode: printable Latin-1 bytes stand for themselves, the 68 others take
        // U+0100.. in byte order (0x00 → Ā, space 0x20 → Ġ, 0x7F → ġ, 0xAD → Ń)
        assertThat(ByteLevelAlphabet.charOf('A')).isEqualTo('A');
        assertThat(ByteLevelAlphabet.charOf(0xE9)).isEqualTo('é');
        assertThat(ByteLevelAlphabet.charOf(0x00)).isEqualTo('Ā');
        assertThat(ByteLevelAlphabet.charOf(0x20)).isEqualTo('Ġ');
        assertThat(ByteLevelAlphabet.charOf(0x7F)).isEqualTo('ġ');
        assertThat(ByteLevelAlphabet.charOf(0xAD)).isEqualTo('Ń');
        java.util.Set<Character> seen = new java.util.HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevelAlphabet.charOf(b);
            assertThat(seen.add(c)).as("byte %d has its own character", b).isTrue();
            assertThat(ByteLevelAlphabet.byteOf(c)).isEqualTo(b);
        }
        assertThat(ByteLevelAlphabet.byteOf('日')).isEqualTo(-1);
        assertThat(ByteLevelAlphabet.encode("é\n ")).isEqualTo("Ã©ĊĠ"); // C3 A9 0A 20
    }

    @Test
    void metaspaceAlwaysSplitsBeforeEachReplacement() {
        // tokenizers pre_tokenizers/metaspace.rs: basic, multiple_spaces
        PreTokenizer always = new PreTokenizer.Metaspace("▁", PrependScheme.ALWAYS, true);
        assertThat(texts(always.apply(pieces("Hey friend!")))).containsExactly("▁Hey", "▁friend!");
        assertThat(texts(always.apply(pieces("Hey   friend!")))).containsExactly("▁Hey", "▁", "▁", "▁friend!");
    }

    @Test
    void metaspaceFirstPrependsOnlyAtTheStartOfTheInput() {
        // tokenizers metaspace.rs non_legacy_meta_space: pieces around "<s>", scheme First, no split
        PreTokenizer first = new PreTokenizer.Metaspace("▁", PrependScheme.FIRST, false);
        assertThat(texts(first.apply(pieces("Hey my friend ", "<s>", "how▁are you"))))
                .containsExactly("▁Hey▁my▁friend▁", "<s>", "how▁are▁you");
        assertThat(texts(first.apply(pieces(" Hey ", "<s>", "how")))).containsExactly("▁Hey▁", "<s>", "how");
        assertThat(texts(first.apply(pieces(" Hey ", "<s>", "how ", "<s>", "are ", "<s>", " you"))))
                .containsExactly("▁Hey▁", "<s>", "how▁", "<s>", "are▁", "<s>", "▁you");
        // then Always with split, on those pieces
        PreTokenizer always = new PreTokenizer.Metaspace("▁", PrependScheme.ALWAYS, true);
        assertThat(texts(always.apply(first.apply(pieces("Hey my friend ", "<s>", "how▁are you")))))
                .containsExactly("▁Hey", "▁my", "▁friend", "▁", "▁<s>", "▁how", "▁are", "▁you");
    }

    @Test
    void qwenAndLlama3RegexesTranslateToJava() {
        String qwen = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
        PreTokenizer split = new PreTokenizer.Split(OnigRegex.compile(qwen, "test"), SplitBehavior.ISOLATED, false);
        // case-insensitive contractions, single digits, a space kept with the next word, trailing spaces
        assertThat(texts(split.apply(pieces("I'M here: 2024  ok\n"))))
                .containsExactly("I", "'M", " here", ":", " ", "2", "0", "2", "4", " ", " ok", "\n");
        // Unicode letters (\p{L}) and Unicode whitespace (U+3000 is \s in Oniguruma)
        assertThat(texts(split.apply(pieces("naïve\u3000日本")))).containsExactly("naïve", "\u3000日本");
    }
}
