package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming decode on the real tokenizers of ../shared/tokenizers, across multi-token characters. */
class StreamingDecodeTest {
    private static List<String> chunks(Tokenizer tokenizer, int[] ids) {
        Tokenizer.StreamDecoder stream = tokenizer.streamDecoder();
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(stream.next(id));
        }
        out.add(stream.finish());
        return out;
    }

    private static void assertWholeCharacters(List<String> chunks) {
        for (String chunk : chunks) {
            assertThat(chunk).doesNotContain("\uFFFD");
            for (int i = 0; i < chunk.length(); i++) {
                char c = chunk.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    assertThat(i + 1 < chunk.length() && Character.isLowSurrogate(chunk.charAt(i + 1)))
                            .as("high surrogate completed in %s", chunks).isTrue();
                    i++;
                } else {
                    assertThat(Character.isLowSurrogate(c)).as("lone low surrogate in %s", chunks).isFalse();
                }
            }
        }
    }

    @Test
    void byteLevelEmitsEachCharacterWithItsLastToken() {
        Tokenizer qwen = FixtureTokenizers.get("qwen3");
        String text = "hieroglyph 𓀀 and 𝔘𝔫𝔦 and 你好";
        int[] ids = qwen.encode(text, false);
        List<String> chunks = chunks(qwen, ids);
        assertWholeCharacters(chunks);
        assertThat(String.join("", chunks)).isEqualTo(text).isEqualTo(qwen.decode(ids));
        // 𓀀 (F0 93 80 80) is not one token: its first tokens emit nothing, the completing one emits it
        int completes = -1;
        StringBuilder soFar = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            soFar.append(chunks.get(i));
            if (completes < 0 && soFar.toString().contains("𓀀")) {
                completes = i;
            }
        }
        assertThat(completes).isPositive();
        assertThat(chunks.get(completes - 1)).isEmpty();
        assertThat(chunks.get(completes)).startsWith("𓀀");
        assertThat(chunks.get(chunks.size() - 1)).isEmpty(); // nothing was left for finish
    }

    @Test
    void byteFallbackEmitsARunOfByteTokensWhenItEnds() {
        Tokenizer mistral = FixtureTokenizers.get("mistral");
        // ids from ../shared/tokenizers/mistral/encodings.jsonl: 🍕 is <0xF0><0x9F><0x8D><0x95> = 243 162 144 152
        int[] ids = {1, 315, 2016, 20727, 28705, 243, 162, 144, 152, 28808};
        List<String> chunks = chunks(mistral, ids);
        assertWholeCharacters(chunks);
        assertThat(chunks).containsExactly("<s>", " I", " love", " pizza", " ", "", "", "", "", "🍕!", "");
        // a run at the very end comes out at finish
        assertThat(chunks(mistral, new int[] {243, 162, 144, 152})).containsExactly("", "", "", "", "🍕");
    }

    @Test
    void byteFallbackCjkInGemma() {
        Tokenizer gemma = FixtureTokenizers.get("gemma3");
        String text = "Fraktur 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and hieroglyph 𓀀 日本語";
        int[] ids = gemma.encode(text, true);
        List<String> chunks = chunks(gemma, ids);
        assertWholeCharacters(chunks);
        assertThat(String.join("", chunks)).isEqualTo("<bos>" + text).isEqualTo(gemma.decode(ids));
    }

    @Test
    void invalidBytesAreReplacedAsDecodeDoes() {
        Tokenizer mistral = FixtureTokenizers.get("mistral");
        // half an emoji then "▁The" (415): HF ByteFallback gives one U+FFFD per byte of the invalid run
        int[] ids = {243, 162, 415};
        assertThat(mistral.decode(ids)).isEqualTo("\uFFFD\uFFFD The");
        assertThat(chunks(mistral, ids)).containsExactly("", "", "\uFFFD\uFFFD The", "");
        Tokenizer qwen = FixtureTokenizers.get("qwen3");
        int[] half = qwen.encode("𓀀", false);
        int[] truncated = java.util.Arrays.copyOf(half, half.length - 1);
        assertThat(qwen.decode(truncated)).isEqualTo("\uFFFD");
        assertThat(String.join("", chunks(qwen, truncated))).isEqualTo("\uFFFD");
    }

    @Test
    void skipSpecialTokensDropsThemBeforeTheDecoder() {
        Tokenizer mistral = FixtureTokenizers.get("mistral");
        int[] ids = mistral.encode("Hello world", true);
        assertThat(mistral.decode(ids)).isEqualTo("<s> Hello world");
        // without <s> the Strip decoder removes the leading space, as transformers' skip_special_tokens does
        assertThat(mistral.decode(ids, true)).isEqualTo("Hello world");
    }
}
