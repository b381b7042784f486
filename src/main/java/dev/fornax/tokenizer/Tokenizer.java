package dev.fornax.tokenizer;

/** Text ↔ token ids, as the model's own tokenizer does it. */
public interface Tokenizer {
    /**
     * Encodes text. {@code addSpecial} behaves as HF's {@code add_special_tokens} (llama2.c: BOS).
     * Special tokens typed in the text are recognised as HF does.
     */
    int[] encode(String text, boolean addSpecial);

    /** Decodes ids to text (special tokens kept, no clean-up of spaces). */
    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * Decodes ids to text without clean-up of spaces; {@code skipSpecialTokens} behaves as HF's
     * {@code skip_special_tokens} (the special tokens are dropped before the decoder runs).
     * Ids the tokenizer does not know are an error.
     */
    String decode(int[] ids, boolean skipSpecialTokens);

    /**
     * A decoder for streaming: each call returns the text that became complete with this token,
     * never half a UTF-8 character; concatenating all outputs equals {@link #decode} of all ids.
     */
    default StreamDecoder streamDecoder() {
        return streamDecoder(false);
    }

    /** {@link #streamDecoder()}, equal to {@link #decode(int[], boolean)} with the same flag. */
    StreamDecoder streamDecoder(boolean skipSpecialTokens);

    /** The number of token ids this tokenizer can decode: 0 .. vocabSize()-1 (added tokens included). */
    int vocabSize();

    /** The file it was read from, for messages (null when unknown). */
    default java.nio.file.Path file() {
        return null;
    }

    /** An id as a message should name it: "token id 7", or "added token \"<|im_end|>\" (id 151645)". */
    default String describe(int id) {
        return "token id " + id;
    }

    interface StreamDecoder {
        String next(int id);

        /** Whatever is left (e.g. an incomplete byte sequence, replaced as decode would). */
        String finish();
    }
}
