package dev.fornax.tokenizer;

/**
 * Incremental UTF-8 decoder. Ill-formed input becomes one U+FFFD per maximal subpart, the rule of the
 * WHATWG decoder and of Rust's {@code String::from_utf8_lossy} (which HF tokenizers use), so decoding
 * in pieces gives the same text as decoding all bytes at once. An incomplete sequence is held back until
 * it completes or {@link #finish} is called: the output never contains half a character.
 */
public final class Utf8Decoder {
    public static final char REPLACEMENT = '\uFFFD';

    private int codePoint;
    private int needed; // continuation bytes still expected
    private int lower = 0x80; // allowed range of the next continuation byte
    private int upper = 0xBF;
    private int errors;

    /** Decodes a complete byte sequence. */
    public static String decode(byte[] bytes, int length) {
        Utf8Decoder decoder = new Utf8Decoder();
        StringBuilder out = new StringBuilder(length);
        decoder.write(bytes, length, out);
        decoder.finish(out);
        return out.toString();
    }

    /** True when the bytes are well-formed UTF-8 (no replacement would be needed). */
    public static boolean isWellFormed(byte[] bytes, int length) {
        Utf8Decoder decoder = new Utf8Decoder();
        StringBuilder out = new StringBuilder(length);
        decoder.write(bytes, length, out);
        decoder.finish(out);
        return decoder.errors == 0;
    }

    public void write(byte[] bytes, int length, StringBuilder out) {
        for (int i = 0; i < length; i++) {
            write(bytes[i] & 0xFF, out);
        }
    }

    public void write(int b, StringBuilder out) {
        if (needed == 0) {
            startSequence(b, out);
            return;
        }
        if (b < lower || b > upper) {
            // The bytes so far are a maximal subpart: replace them, then read b afresh.
            reset();
            replace(out);
            startSequence(b, out);
            return;
        }
        lower = 0x80;
        upper = 0xBF;
        codePoint = (codePoint << 6) | (b & 0x3F);
        if (--needed == 0) {
            out.appendCodePoint(codePoint);
            codePoint = 0;
        }
    }

    /** Ends the input: an incomplete sequence becomes one U+FFFD. */
    public void finish(StringBuilder out) {
        if (needed != 0) {
            reset();
            replace(out);
        }
    }

    /** True while an incomplete sequence is held back. */
    public boolean hasPending() {
        return needed != 0;
    }

    private void startSequence(int b, StringBuilder out) {
        if (b <= 0x7F) {
            out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
            begin(1, b & 0x1F);
        } else if (b >= 0xE0 && b <= 0xEF) {
            begin(2, b & 0x0F);
            if (b == 0xE0) {
                lower = 0xA0; // no overlong forms
            } else if (b == 0xED) {
                upper = 0x9F; // no surrogates
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            begin(3, b & 0x07);
            if (b == 0xF0) {
                lower = 0x90;
            } else if (b == 0xF4) {
                upper = 0x8F; // nothing above U+10FFFF
            }
        } else {
            replace(out);
        }
    }

    private void begin(int continuationBytes, int bits) {
        needed = continuationBytes;
        codePoint = bits;
    }

    private void reset() {
        needed = 0;
        codePoint = 0;
        lower = 0x80;
        upper = 0xBF;
    }

    private void replace(StringBuilder out) {
        errors++;
        out.append(REPLACEMENT);
    }
}
