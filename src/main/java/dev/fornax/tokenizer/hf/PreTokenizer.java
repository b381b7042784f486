package dev.fornax.tokenizer.hf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code tokenizer.json} pre-tokenizer: cuts normalized text into the pieces ("words") that the BPE
 * model tokenizes independently, possibly rewriting them (byte-level alphabet, {@code ▁} for spaces).
 */
sealed interface PreTokenizer {
    /** A piece of text; {@code atStart} when it begins at offset 0 of the original input. */
    record Piece(String text, boolean atStart) {}

    List<Piece> apply(List<Piece> pieces);

    /** Splits every piece on a regex (or an escaped literal) according to {@code behavior}. */
    record Split(Pattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {
        @Override
        public List<Piece> apply(List<Piece> pieces) {
            List<Piece> out = new ArrayList<>();
            for (Piece piece : pieces) {
                for (int[] span : behavior.split(piece.text(), pattern, invert)) {
                    out.add(new Piece(piece.text().substring(span[0], span[1]), piece.atStart() && span[0] == 0));
                }
            }
            return out;
        }
    }

    /**
     * GPT-2 byte-level: optionally a leading space and the GPT-2 regex split, then every piece is rewritten
     * as its UTF-8 bytes in {@link ByteLevelAlphabet} characters.
     */
    record ByteLevel(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
        private static final Pattern GPT2 = OnigRegex.compile(
                "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
                "GPT-2 byte-level regex");

        @Override
        public List<Piece> apply(List<Piece> pieces) {
            List<Piece> out = new ArrayList<>();
            for (Piece piece : pieces) {
                String text = piece.text();
                if (addPrefixSpace && !text.startsWith(" ")) {
                    text = " " + text;
                }
                if (useRegex) {
                    for (int[] span : SplitBehavior.ISOLATED.split(text, GPT2, false)) {
                        out.add(new Piece(ByteLevelAlphabet.encode(text.substring(span[0], span[1])),
                                piece.atStart() && span[0] == 0));
                    }
                } else if (!text.isEmpty()) {
                    out.add(new Piece(ByteLevelAlphabet.encode(text), piece.atStart()));
                }
            }
            return out;
        }
    }

    /** How Metaspace adds the leading {@code ▁}. */
    enum PrependScheme {
        ALWAYS,
        /** Only to the piece that starts the input. */
        FIRST,
        NEVER
    }

    /** SentencePiece-style: spaces become {@code replacement}, one is prepended, pieces start at each. */
    record Metaspace(String replacement, PrependScheme prependScheme, boolean split) implements PreTokenizer {
        @Override
        public List<Piece> apply(List<Piece> pieces) {
            List<Piece> out = new ArrayList<>();
            Pattern delimiter = OnigRegex.literal(replacement);
            for (Piece piece : pieces) {
                String text = piece.text().replace(" ", replacement);
                boolean prepend = switch (prependScheme) {
                    case ALWAYS -> true;
                    case FIRST -> piece.atStart();
                    case NEVER -> false;
                };
                if (prepend && !text.startsWith(replacement)) {
                    text = replacement + text;
                }
                if (!split) {
                    out.add(new Piece(text, piece.atStart()));
                    continue;
                }
                for (int[] span : SplitBehavior.MERGED_WITH_NEXT.split(text, delimiter, false)) {
                    out.add(new Piece(text.substring(span[0], span[1]), piece.atStart() && span[0] == 0));
                }
            }
            return out;
        }
    }

    record Sequence(List<PreTokenizer> preTokenizers) implements PreTokenizer {
        public Sequence {
            preTokenizers = List.copyOf(preTokenizers);
        }

        @Override
        public List<Piece> apply(List<Piece> pieces) {
            for (PreTokenizer p : preTokenizers) {
                pieces = p.apply(pieces);
            }
            return pieces;
        }
    }
}
