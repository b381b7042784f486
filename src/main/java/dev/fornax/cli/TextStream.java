package dev.fornax.cli;

import dev.fornax.ir.ModelSpec;
import dev.fornax.tokenizer.Tokenizer;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns a token stream (prompt, then generated tokens) into the text a reader sees: decoded
 * incrementally, never half a UTF-8 character, with the control tokens BOS and EOS left out (as
 * llama2.c's run.c prints and HF's {@code skip_special_tokens} decodes them), so the llama2.c and
 * HF forms of one model print the same text.
 */
final class TextStream {
    private final Tokenizer.StreamDecoder decoder;
    private final Set<Integer> control = new HashSet<>();
    private final StringBuilder text = new StringBuilder();

    TextStream(Tokenizer tokenizer, ModelSpec spec) {
        this.decoder = tokenizer.streamDecoder();
        if (spec.bosId() >= 0) {
            control.add(spec.bosId());
        }
        control.addAll(spec.eosIds());
    }

    /** The text that became complete with {@code id} (may be empty). */
    String next(int id) {
        String s = control.contains(id) ? "" : decoder.next(id);
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
