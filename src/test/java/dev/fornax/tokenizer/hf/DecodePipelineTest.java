package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoder steps on token strings. Expected outputs are HF tokenizers' decoder unit tests (decoders/*.rs,
 * pre_tokenizers/metaspace.rs) with the resulting token list concatenated, as {@code decode} does.
 */
class DecodePipelineTest {
    private static final Decoder.Replace SPACE = new Decoder.Replace(OnigRegex.literal("▁"), " ");

    /** Decoded text, and checks that streaming the same tokens gives the same text. */
    private static String decode(Decoder decoder, String... tokens) {
        DecodePipeline pipeline = new DecodePipeline(decoder);
        DecodePipeline.Run all = pipeline.start();
        DecodePipeline.Run stream = pipeline.start();
        StringBuilder whole = new StringBuilder();
        StringBuilder streamed = new StringBuilder();
        for (String token : tokens) {
            whole.append(all.push(token));
            streamed.append(stream.push(token));
        }
        whole.append(all.finish());
        streamed.append(stream.finish());
        assertThat(streamed.toString()).isEqualTo(whole.toString());
        return whole.toString();
    }

    /** What each push returned, then what finish returned. */
    private static List<String> chunks(Decoder decoder, String... tokens) {
        DecodePipeline.Run run = new DecodePipeline(decoder).start();
        List<String> out = new ArrayList<>();
        for (String token : tokens) {
            out.add(run.push(token));
        }
        out.add(run.finish());
        return out;
    }

    @Test
    void byteFallbackReplacesAnInvalidRunBytePerByte() {
        Decoder d = new Decoder.ByteFallback();
        assertThat(decode(d, "Hey", "friend!")).isEqualTo("Heyfriend!");
        assertThat(decode(d, "<0x61>")).isEqualTo("a");
        assertThat(decode(d, "<0xE5>")).isEqualTo("\uFFFD");
        assertThat(decode(d, "<0xE5>", "<0x8f>")).isEqualTo("\uFFFD\uFFFD");
        assertThat(decode(d, "<0xE5>", "<0x8f>", "<0xab>")).isEqualTo("叫");
        assertThat(decode(d, "<0xE5>", "<0x8f>", "<0xab>", "a")).isEqualTo("叫a");
        assertThat(decode(d, "<0xE5>", "<0x8f>", "a")).isEqualTo("\uFFFD\uFFFDa");
        // a whole run is judged at once: a valid prefix does not survive a later invalid byte
        assertThat(decode(d, "<0x61>", "<0xFF>")).isEqualTo("\uFFFD\uFFFD");
        // not byte tokens: wrong length, no closing '>'
        assertThat(decode(d, "<0x6>", "<0x61)")).isEqualTo("<0x6><0x61)");
    }

    @Test
    void byteFallbackHoldsARunUntilItEnds() {
        assertThat(chunks(new Decoder.ByteFallback(), "<0xE5>", "<0x8f>", "<0xab>", "a"))
                .containsExactly("", "", "", "叫a", "");
        assertThat(chunks(new Decoder.ByteFallback(), "x", "<0xE5>", "<0x8f>", "<0xab>"))
                .containsExactly("x", "", "", "", "叫");
    }

    @Test
    void stripWorksPerTokenOrOnTheFusedText() {
        assertThat(decode(new Decoder.Strip('H', 1, 0), "Hey", " friend!", "HHH")).isEqualTo("ey friend!HH");
        assertThat(decode(new Decoder.Strip('y', 0, 1), "Hey", " friend!")).isEqualTo("He friend!");
        Decoder fusedStrip = new Decoder.Sequence(List.of(new Decoder.Fuse(), new Decoder.Strip('H', 1, 0)));
        assertThat(decode(fusedStrip, "Hey", " friend!", "HHH")).isEqualTo("ey friend!HHH");
        Decoder fusedStop = new Decoder.Sequence(List.of(new Decoder.Fuse(), new Decoder.Strip(' ', 1, 2)));
        assertThat(decode(fusedStop, " a ", " ", " ", "b", "  ", " ")).isEqualTo("a   b ");
        // trailing spaces are held back until a non-space shows they are not trailing
        assertThat(chunks(fusedStop, " a", " ", " ", "b", " ")).containsExactly("a", "", "", "  b", "", "");
    }

    @Test
    void fuseJoinsTokens() {
        assertThat(decode(new Decoder.Fuse(), "Hey", " friend!")).isEqualTo("Hey friend!");
    }

    @Test
    void metaspaceDropsTheFirstPrefix() {
        assertThat(decode(new Decoder.Metaspace("▁", true), "▁Hey", "▁friend!")).isEqualTo("Hey friend!");
        assertThat(decode(new Decoder.Metaspace("▁", false), "▁Hey", "▁friend!")).isEqualTo(" Hey friend!");
    }

    @Test
    void sentencePieceChainStreamsWithoutHoldingText() {
        Decoder chain = new Decoder.Sequence(List.of(SPACE, new Decoder.ByteFallback(), new Decoder.Fuse(),
                new Decoder.Strip(' ', 1, 0)));
        assertThat(chunks(chain, "▁Hello", "▁world", "<0xF0>", "<0x9F>", "<0x8D>", "<0x95>", "!"))
                .containsExactly("Hello", " world", "", "", "", "", "🍕!", "");
        assertThat(decode(chain, "<s>", "▁Hi")).isEqualTo("<s> Hi");
    }

    @Test
    void byteLevelEmitsACharacterWhenItsLastByteArrives() {
        // '🍕' is F0 9F 8D 95; in the byte-level alphabet: ð Ł į ķ
        assertThat(chunks(new Decoder.ByteLevel(), "Hi", "Ġð", "Ł", "įķ", "!"))
                .containsExactly("Hi", " ", "", "🍕", "!", "");
        assertThat(decode(new Decoder.ByteLevel(), "Ġð")).isEqualTo(" \uFFFD");
        // a token with characters outside the alphabet keeps its own UTF-8 bytes (HF behaviour)
        assertThat(decode(new Decoder.ByteLevel(), "<|im_start|>", "日本")).isEqualTo("<|im_start|>日本");
    }

    @Test
    void noDecoderJoinsWithSpaces() {
        assertThat(decode(null, "a", "b", "c")).isEqualTo("a b c");
    }

    @Test
    void stepsAfterAFuseSeeOneToken() {
        // Metaspace after Fuse: the fused text is the first token, so every ▁ is dropped
        Decoder chain = new Decoder.Sequence(List.of(new Decoder.Fuse(), new Decoder.Metaspace("▁", true)));
        assertThat(decode(chain, "▁a", "▁b")).isEqualTo("ab");
        // ByteFallback after Fuse: the fused text is not a <0xNN> token
        Decoder late = new Decoder.Sequence(List.of(new Decoder.Fuse(), new Decoder.ByteFallback()));
        assertThat(decode(late, "<0x61>", "<0x62>")).isEqualTo("<0x61><0x62>");
        assertThat(decode(late, "<0x61>")).isEqualTo("a");
    }
}
