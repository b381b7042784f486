package dev.fornax.tokenizer;

/** Text ↔ token ids, as the model's own tokenizer does it. */
public interface Tokenizer {
    /**
     * Encodes text. {@code addSpecial} behaves as HF's {@code add_special_tokens} (llama2.c: BOS).
     * Special tokens typed in the text are recognised as HF does.
     */
    int[] encode(String text, boolean addSpecial);

    /** Decodes ids to text (special tokens kept, no clean-up of spaces). */
    String decode(int[] ids);

    /**
     * A decoder for streaming: each call returns the text that became complete with this token,
     * never half a UTF-8 character; concatenating all outputs equals {@link #decode} of all ids.
     */
    StreamDecoder streamDecoder();

    int vocabSize();

    interface StreamDecoder {
        String next(int id);

        /** Whatever is left (e.g. an incomplete byte sequence, replaced as decode would). */
        String finish();
    }
}
