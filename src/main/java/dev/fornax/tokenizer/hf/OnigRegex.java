package dev.fornax.tokenizer.hf;

import dev.fornax.FornaxException;
import java.util.Map;
import java.util.regex.Matcher;
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
    /**
     * Characters one match attempt may examine. Oniguruma stops a match after
     * ONIG_DEFAULT_RETRY_LIMIT_IN_MATCH (10,000,000) backtracking retries and HF tokenizers then
     * fails (the onig crate panics); java.util.regex has no such limit, so catastrophic patterns
     * ({@code ((a+)+)+b}, {@code (.*,){14}X}) would run for minutes. Every character access of the
     * matcher is counted against the same figure, which no real tokenizer regex comes near
     * (the GPT-2 and Llama 3 splitters look at each character a few times).
     */
    static final long STEPS_PER_MATCH = 10_000_000;
    /** Steps a whole text may take beyond one match's budget, per character (stops quadratic scans). */
    static final long STEPS_PER_CHAR = 1_000;

    /** A match that ran past its budget, or recursed past the stack; the caller names the file. */
    static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded(String message) {
            super(message, null, false, false);
        }
    }

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
        } catch (StackOverflowError e) {
            throw new FornaxException(where + ": regex " + quote(regex) + " is nested too deeply to compile");
        } catch (PatternSyntaxException e) {
            throw new FornaxException(where + ": regex " + quote(regex) + " cannot be compiled: "
                    + e.getDescription());
        }
    }

    /** A pattern matching {@code literal} exactly (HF escapes String patterns into a regex). */
    static Pattern literal(String literal) {
        return Pattern.compile(Pattern.quote(literal));
    }

    /** The matches of {@code pattern} in {@code text}, left to right, each within the step budget. */
    static final class Matches {
        private final Pattern pattern;
        private final Budgeted text;
        private final Matcher matcher;

        private Matches(Pattern pattern, String text) {
            this.pattern = pattern;
            this.text = new Budgeted(text, pattern);
            this.matcher = pattern.matcher(this.text);
        }

        boolean find() {
            text.perMatch = STEPS_PER_MATCH;
            try {
                return matcher.find();
            } catch (StackOverflowError e) {
                throw new BudgetExceeded("regex " + quote(pattern.pattern()) + " recursed too deeply on a text of "
                        + text.length() + " characters");
            }
        }

        int start() {
            return matcher.start();
        }

        int end() {
            return matcher.end();
        }
    }

    static Matches matches(Pattern pattern, String text) {
        return new Matches(pattern, text);
    }

    /** Every non-overlapping match replaced by {@code content} (literally), as Matcher.replaceAll does. */
    static String replaceAll(Pattern pattern, String text, String content) {
        Matches m = matches(pattern, text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (out == null) {
                out = new StringBuilder(text.length() + 16);
            }
            out.append(text, last, m.start()).append(content);
            last = m.end();
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /** The text as the matcher sees it: each character access costs a step. */
    private static final class Budgeted implements CharSequence {
        private final String s;
        private final Pattern pattern;
        private long perMatch;
        private long total;

        Budgeted(String s, Pattern pattern) {
            this.s = s;
            this.pattern = pattern;
            this.total = STEPS_PER_MATCH + STEPS_PER_CHAR * (long) s.length();
        }

        @Override
        public char charAt(int index) {
            if (--perMatch < 0 || --total < 0) {
                throw new BudgetExceeded("regex " + quote(pattern.pattern()) + " gave up after "
                        + (perMatch < 0 ? String.format("%,d steps on one match", STEPS_PER_MATCH)
                                : String.format("%,d steps", STEPS_PER_MATCH + STEPS_PER_CHAR * (long) s.length()))
                        + " in a text of " + s.length() + " characters (catastrophic backtracking; HF's"
                        + " Oniguruma stops at the same retry limit)");
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.substring(start, end);
        }

        @Override
        public String toString() {
            return s;
        }
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
        String q = regex.replace("\n", "\\n").replace("\r", "\\r");
        return "\"" + (q.length() > 120 ? q.substring(0, 120) + "…" : q) + "\"";
    }
}
