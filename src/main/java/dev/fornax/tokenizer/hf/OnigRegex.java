package dev.fornax.tokenizer.hf;

import dev.fornax.FornaxException;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the Oniguruma (Ruby syntax) regexes of {@code tokenizer.json} with java.util.regex.
 *
 * <p>Most of the syntax is shared: {@code \p{L}}, {@code \p{N}}, {@code (?i:...)}, lookahead, atomic
 * groups and possessive quantifiers all exist in Java. The differences handled here:
 * <ul>
 *   <li>Oniguruma's {@code \s}, {@code \w}, {@code \d} and case folding are Unicode-aware, Java's are
 *       ASCII unless {@link Pattern#UNICODE_CHARACTER_CLASS} is set (it also turns on Unicode case
 *       folding for {@code (?i)}, so {@code 'S} and {@code 'ſ} match {@code (?i:'s)} as in Oniguruma);</li>
 *   <li>{@code \h} / {@code \H} mean hex digit in Oniguruma but horizontal space in Java;</li>
 *   <li>{@code \p{^X}} (negated property) is {@code \P{X}} in Java;</li>
 *   <li>POSIX brackets {@code [:alpha:]} inside classes become {@code \p{Alpha}}.</li>
 * </ul>
 */
final class OnigRegex {
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "\\p{Digit}"), Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("upper", "\\p{Upper}"), Map.entry("lower", "\\p{Lower}"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("space", "\\p{Space}"), Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("print", "\\p{Print}"), Map.entry("xdigit", "[0-9a-fA-F]"),
            Map.entry("word", "\\w"));

    private OnigRegex() {}

    /** Compiles {@code regex}; {@code where} names the field for error messages. */
    static Pattern compile(String regex, String where) {
        String java = translate(regex, where);
        try {
            return Pattern.compile(java, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new FornaxException(where + ": regex " + quote(regex) + " cannot be compiled: "
                    + e.getDescription());
        }
    }

    /** A pattern matching {@code literal} exactly (HF escapes String patterns into a regex). */
    static Pattern literal(String literal) {
        return Pattern.compile(Pattern.quote(literal));
    }

    static String translate(String regex, String where) {
        StringBuilder out = new StringBuilder(regex.length() + 16);
        int classDepth = 0;
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char d = regex.charAt(i + 1);
                if (d == 'h') {
                    out.append(classDepth > 0 ? "0-9a-fA-F" : "[0-9a-fA-F]");
                } else if (d == 'H') {
                    if (classDepth > 0) {
                        throw new FornaxException(where + ": regex " + quote(regex)
                                + ": \\H inside a character class is not supported");
                    }
                    out.append("[^0-9a-fA-F]");
                } else if ((d == 'p' || d == 'P') && regex.startsWith("{^", i + 2)) {
                    out.append('\\').append(d == 'p' ? 'P' : 'p').append('{');
                    i += 4;
                    continue;
                } else {
                    out.append(c).append(d);
                }
                i += 2;
                continue;
            }
            if (c == '[' && classDepth > 0 && regex.startsWith("[:", i)) {
                int end = regex.indexOf(":]", i + 2);
                if (end > 0) {
                    String name = regex.substring(i + 2, end);
                    boolean negated = name.startsWith("^");
                    String java = POSIX.get(negated ? name.substring(1) : name);
                    if (java == null) {
                        throw new FornaxException(where + ": regex " + quote(regex) + ": unknown POSIX class [:"
                                + name + ":]");
                    }
                    if (negated) {
                        java = java.startsWith("\\p") ? "\\P" + java.substring(2) : "[^" + java.substring(1);
                    }
                    out.append(java);
                    i = end + 2;
                    continue;
                }
            }
            if (c == '[') {
                classDepth++;
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String quote(String regex) {
        return "\"" + regex.replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
