package dev.fornax.cli;

import dev.fornax.tokenizer.Tokenizer;

/**
 * Turns a token stream (prompt, then generated tokens) into the text a reader sees: decoded
 * incrementally, never half a UTF-8 character, with special tokens (BOS, EOS, ...) skipped as
 * HF's {@code skip_special_tokens=True} does; llama2.c's run.c prints the same way (no BOS, and the
 * first word's leading space dropped), so both forms of stories260K print the same text.
 */
final class TextStream {
    private final Tokenizer.StreamDecoder decoder;
    private final StringBuilder text = new StringBuilder();

    TextStream(Tokenizer tokenizer) {
        this.decoder = tokenizer.streamDecoder(true);
    }

    /** The text that became complete with {@code id} (may be empty). */
    String next(int id) {
        String s = decoder.next(id);
        text.append(s);
        return s;
    }

    /** Whatever the decoder still holds. */
    String finish() {
        String s = decoder.finish();
        text.append(s);
        return s;
    }

    /** Everything returned so far. */
    String text() {
        return text.toString();
    }
}
