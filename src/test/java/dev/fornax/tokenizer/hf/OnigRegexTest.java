package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import org.junit.jupiter.api.Test;

class OnigRegexTest {
    @Test
    void translatesOnigurumaOnlySyntax() {
        assertThat(OnigRegex.translate("\\h+", "t")).isEqualTo("[0-9a-fA-F]+");
        assertThat(OnigRegex.translate("[\\h_]", "t")).isEqualTo("[0-9a-fA-F_]");
        assertThat(OnigRegex.translate("\\p{^L}", "t")).isEqualTo("\\P{L}");
        assertThat(OnigRegex.translate("[[:alpha:][:^digit:]]", "t")).isEqualTo("[\\p{Alpha}\\P{Digit}]");
        assertThat(OnigRegex.translate("\\\\h", "t")).isEqualTo("\\\\h"); // an escaped backslash, then 'h'
    }

    @Test
    void unicodeClassesAndFoldingMatchOniguruma() {
        var p = OnigRegex.compile("(?i:'s)|\\s+|\\w+|\\h+", "t");
        assertThat(p.matcher("'S").matches()).isTrue();
        assertThat(p.matcher("'ſ").matches()).isTrue(); // U+017F folds to s in Unicode case folding
        assertThat(p.matcher("\u00A0\u2003").matches()).isTrue(); // Unicode White_Space
        assertThat(p.matcher("日本語").matches()).isTrue();
        assertThat(OnigRegex.compile("\\h+", "t").matcher("0aF").matches()).isTrue();
        assertThat(OnigRegex.compile("\\h+", "t").matcher(" \t").matches()).isFalse();
        // atomic groups and possessive quantifiers, used by newer tokenizers, are native to Java
        assertThat(OnigRegex.compile("(?>a+)b|\\p{N}++", "t").matcher("aab").matches()).isTrue();
    }

    @Test
    void badRegexNamesTheField() {
        assertThatThrownBy(() -> OnigRegex.compile("(unclosed", "tokenizer.json: pre_tokenizer.pattern"))
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining("tokenizer.json: pre_tokenizer.pattern").hasMessageContaining("(unclosed");
    }
}
