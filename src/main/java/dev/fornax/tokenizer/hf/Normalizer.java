package dev.fornax.tokenizer.hf;

import java.util.List;
import java.util.regex.Pattern;

/** A {@code tokenizer.json} normalizer: rewrites text before pre-tokenization (HF {@code normalizers}). */
sealed interface Normalizer {
    String normalize(String text);

    /** NFC, NFD, NFKC or NFKD. */
    record Unicode(java.text.Normalizer.Form form) implements Normalizer {
        @Override
        public String normalize(String text) {
            return java.text.Normalizer.normalize(text, form);
        }
    }

    /** Prepends a string to non-empty text (SentencePiece's dummy prefix {@code ▁}). */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    /** Replaces every non-overlapping match, left to right. */
    record Replace(Pattern pattern, String content) implements Normalizer {
        @Override
        public String normalize(String text) {
            return OnigRegex.replaceAll(pattern, text, content);
        }
    }

    record Sequence(List<Normalizer> normalizers) implements Normalizer {
        public Sequence {
            normalizers = List.copyOf(normalizers);
        }

        @Override
        public String normalize(String text) {
            for (Normalizer n : normalizers) {
                text = n.normalize(text);
            }
            return text;
        }
    }
}
