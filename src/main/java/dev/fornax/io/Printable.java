package dev.fornax.io;

/**
 * Text from the user or a file, made safe to quote in a one-line message: every control character
 * (a newline in a file name too) becomes a {@code \\uXXXX} escape.
 */
public final class Printable {
    private Printable() {}

    public static String of(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
