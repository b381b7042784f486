package dev.fornax.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Utf8DecoderTest {
    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    @Test
    void replacesMaximalSubpartsAsTheUnicodeStandardShows() {
        // The Unicode Standard, ch. 3 "U+FFFD Substitution of Maximal Subparts", Table 3-8
        byte[] bytes = hex("61 F1 80 80 E1 80 C2 62 80 63 80 BF 64");
        assertThat(Utf8Decoder.decode(bytes, bytes.length))
                .isEqualTo("a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
        // overlong, surrogate and beyond-U+10FFFF forms: each byte is its own maximal subpart
        assertThat(Utf8Decoder.decode(hex("C0 AF"), 2)).isEqualTo("\uFFFD\uFFFD");
        assertThat(Utf8Decoder.decode(hex("ED A0 80"), 3)).isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(Utf8Decoder.decode(hex("F4 90 80 80"), 4)).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD");
        assertThat(Utf8Decoder.isWellFormed(hex("F0 9F 8D 95"), 4)).isTrue();
        assertThat(Utf8Decoder.isWellFormed(hex("F0 9F 8D"), 3)).isFalse();
    }

    /**
     * utf8-replace-cpython.jsonl: 600 random byte strings rich in lead/continuation bytes, decoded by
     * CPython 3.11.2 {@code bytes.decode("utf-8", "replace")}, which substitutes maximal subparts like Rust's
     * {@code from_utf8_lossy}. (The JDK's decoder is no oracle: it replaces a truncated "ED AB" with one U+FFFD.)
     * Each is also fed byte by byte: the pieces never hold half a character and concatenate to the same text.
     */
    @Test
    void agreesWithCPythonWholeAndByteByByte() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        int cases = 0;
        try (var in = getClass().getResourceAsStream("utf8-replace-cpython.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                var record = mapper.readTree(line);
                byte[] bytes = hex(record.get("hex").asText());
                String expected = record.get("text").asText();
                assertThat(Utf8Decoder.decode(bytes, bytes.length)).as(record.get("hex").asText()).isEqualTo(expected);
                Utf8Decoder incremental = new Utf8Decoder();
                StringBuilder out = new StringBuilder();
                for (byte b : bytes) {
                    int before = out.length();
                    incremental.write(b & 0xFF, out);
                    assertThat(isWholeCharacters(out.substring(before))).isTrue();
                }
                incremental.finish(out);
                assertThat(out.toString()).isEqualTo(expected);
                cases++;
            }
        }
        assertThat(cases).isEqualTo(600);
    }

    private static boolean isWholeCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
