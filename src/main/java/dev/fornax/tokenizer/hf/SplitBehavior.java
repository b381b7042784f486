package dev.fornax.tokenizer.hf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** What a split does with the matched delimiters (HF {@code SplitDelimiterBehavior}). */
enum SplitBehavior {
    /** Delimiters are dropped. */
    REMOVED,
    /** Each delimiter is a piece of its own. */
    ISOLATED,
    /** A delimiter joins the piece before it. */
    MERGED_WITH_PREVIOUS,
    /** A delimiter joins the piece after it. */
    MERGED_WITH_NEXT,
    /** Consecutive delimiters form one piece. */
    CONTIGUOUS;

    /**
     * Splits {@code text} around the matches of {@code pattern} ({@code invert}: around the non-matches)
     * and returns the non-empty pieces as {start, end} offsets, as HF's {@code NormalizedString::split}
     * (an empty match is a delimiter too; it cuts the text without taking any of it).
     */
    List<int[]> split(String text, Pattern pattern, boolean invert) {
        List<int[]> spans = new ArrayList<>(); // {start, end, isMatch}
        OnigRegex.Matches m = OnigRegex.matches(pattern, text); // within Oniguruma's retry budget
        int prev = 0;
        while (m.find()) {
            if (prev != m.start()) {
                spans.add(new int[] {prev, m.start(), invert ? 1 : 0});
            }
            spans.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
            prev = m.end();
        }
        if (prev != text.length()) {
            spans.add(new int[] {prev, text.length(), invert ? 1 : 0});
        }
        List<int[]> pieces = new ArrayList<>(spans.size());
        switch (this) {
            case ISOLATED -> spans.forEach(s -> pieces.add(new int[] {s[0], s[1]}));
            case REMOVED -> spans.stream().filter(s -> s[2] == 0).forEach(s -> pieces.add(new int[] {s[0], s[1]}));
            case CONTIGUOUS -> {
                boolean previousMatch = false;
                for (int[] s : spans) {
                    boolean match = s[2] == 1;
                    if (match == previousMatch && !pieces.isEmpty()) {
                        pieces.get(pieces.size() - 1)[1] = s[1];
                    } else {
                        pieces.add(new int[] {s[0], s[1]});
                    }
                    previousMatch = match;
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                boolean previousMatch = false;
                for (int[] s : spans) {
                    boolean match = s[2] == 1;
                    if (match && !previousMatch && !pieces.isEmpty()) {
                        pieces.get(pieces.size() - 1)[1] = s[1];
                    } else {
                        pieces.add(new int[] {s[0], s[1]});
                    }
                    previousMatch = match;
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean previousMatch = false;
                for (int k = spans.size() - 1; k >= 0; k--) {
                    int[] s = spans.get(k);
                    boolean match = s[2] == 1;
                    if (match && !previousMatch && !pieces.isEmpty()) {
                        pieces.get(pieces.size() - 1)[0] = s[0];
                    } else {
                        pieces.add(new int[] {s[0], s[1]});
                    }
                    previousMatch = match;
                }
                Collections.reverse(pieces);
            }
        }
        pieces.removeIf(piece -> piece[0] == piece[1]); // HF drops empty pieces
        return pieces;
    }
}
