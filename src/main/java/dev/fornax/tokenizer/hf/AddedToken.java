package dev.fornax.tokenizer.hf;

/**
 * An entry of {@code tokenizer.json} "added_tokens": matched in the input text before the model sees
 * it. {@code normalized} tokens are matched in the normalized text, the others in the raw text;
 * {@code lstrip}/{@code rstrip} swallow the whitespace beside a match; {@code singleWord} matches only
 * between non-word characters.
 */
record AddedToken(int id, String content, boolean special, boolean normalized, boolean lstrip, boolean rstrip,
        boolean singleWord) {}
