package dev.fornax.tokenizer.hf;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code tokenizer.json} decoder step (HF {@code decoders}). Each step turns the list of token strings
 * into a new list; the decoded text is the final list concatenated. {@link DecodePipeline} runs them
 * incrementally.
 */
sealed interface Decoder {
    /** Replaces every non-overlapping match in each token (e.g. {@code ▁} → space). */
    record Replace(Pattern pattern, String content) implements Decoder {}

    /** Runs of {@code <0xNN>} tokens become the UTF-8 text of their bytes, or one U+FFFD per byte if invalid. */
    record ByteFallback() implements Decoder {}

    /** Joins all tokens into one. */
    record Fuse() implements Decoder {}

    /** Removes up to {@code start} leading and {@code stop} trailing {@code content} characters of each token. */
    record Strip(int content, int start, int stop) implements Decoder {}

    /** Maps the byte-level alphabet back to bytes and decodes them as UTF-8 (lossy); yields one token. */
    record ByteLevel() implements Decoder {}

    /**
     * {@code replacement} → space; in the first token, when the pre-tokenizer prepends one, every
     * {@code replacement} is dropped instead (as HF does).
     */
    record Metaspace(String replacement, boolean prepends) implements Decoder {}

    record Sequence(List<Decoder> decoders) implements Decoder {
        public Sequence {
            decoders = List.copyOf(decoders);
        }
    }
}
