package dev.fornax.tokenizer.hf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds added tokens typed in the text, as HF's {@code AddedVocabulary::extract_and_normalize}: first the
 * non-normalized tokens in the raw text, then each remaining segment is normalized and searched for the
 * normalized tokens. Matching is leftmost-longest (HF uses an Aho-Corasick automaton in that mode).
 */
final class AddedVocabulary {
    /** A segment of the input: an added token ({@code tokenId} ≥ 0) or text for the model. */
    record Segment(String text, int tokenId, boolean atStart) {}

    private static final Pattern ENDS_WITH_WORD = Pattern.compile("\\w$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern STARTS_WITH_WORD = Pattern.compile("^\\w", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACES_AT_END = Pattern.compile("\\s*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACES_AT_START = Pattern.compile("^\\s*", Pattern.UNICODE_CHARACTER_CLASS);

    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final Trie raw = new Trie();
    private final Trie normalizedTrie = new Trie();

    AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
        for (AddedToken token : tokens) {
            byId.putIfAbsent(token.id(), token);
            if (token.normalized()) {
                String content = normalizer == null ? token.content() : normalizer.normalize(token.content());
                normalizedTrie.add(content, token.id());
            } else {
                raw.add(token.content(), token.id());
            }
        }
    }

    AddedToken token(int id) {
        return byId.get(id);
    }

    /** The largest added token id, or -1. */
    int maxId() {
        return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    /** Splits the text into added tokens and normalized text segments (empty segments dropped). */
    List<Segment> split(String text, Normalizer normalizer) {
        List<Segment> out = new ArrayList<>();
        for (Segment segment : find(text, raw, true)) {
            if (segment.tokenId() >= 0) {
                out.add(segment);
                continue;
            }
            String normalized = normalizer == null ? segment.text() : normalizer.normalize(segment.text());
            for (Segment inner : find(normalized, normalizedTrie, segment.atStart())) {
                out.add(inner);
            }
        }
        return out;
    }

    private List<Segment> find(String text, Trie trie, boolean atStart) {
        List<Segment> out = new ArrayList<>();
        int emitted = 0; // end of the last segment added to out
        int pos = 0;
        while (pos < text.length()) {
            long match = trie.longestMatch(text, pos);
            if (match < 0) {
                pos++;
                continue;
            }
            int start = pos;
            int stop = pos + (int) (match >>> 32);
            AddedToken token = byId.get((int) match);
            pos = stop;
            if (token.singleWord()) {
                boolean spaceBefore = start == 0 || !ENDS_WITH_WORD.matcher(text.substring(0, start)).find();
                boolean spaceAfter = stop == text.length()
                        || !STARTS_WITH_WORD.matcher(text.substring(stop)).find();
                if (!spaceBefore || !spaceAfter) {
                    continue;
                }
            }
            if (token.lstrip()) {
                var m = SPACES_AT_END.matcher(text.substring(0, start));
                int newStart = m.find() ? m.start() : start;
                start = Math.max(newStart, emitted);
            }
            if (token.rstrip()) {
                var m = SPACES_AT_START.matcher(text.substring(stop));
                stop += m.find() ? m.end() : 0;
                pos = stop;
            }
            if (emitted < start) {
                out.add(new Segment(text.substring(emitted, start), -1, atStart && emitted == 0));
            }
            out.add(new Segment(text.substring(start, stop), token.id(), atStart && start == 0));
            emitted = stop;
        }
        if (emitted < text.length()) {
            out.add(new Segment(text.substring(emitted), -1, atStart && emitted == 0));
        }
        return out;
    }

    /** Prefix tree over token contents, for leftmost-longest matching. */
    private static final class Trie {
        private final Node root = new Node();

        private static final class Node {
            final Map<Character, Node> children = new HashMap<>(4);
            int tokenId = -1;
        }

        void add(String content, int id) {
            if (content.isEmpty()) {
                return;
            }
            Node node = root;
            for (int i = 0; i < content.length(); i++) {
                node = node.children.computeIfAbsent(content.charAt(i), c -> new Node());
            }
            if (node.tokenId < 0) {
                node.tokenId = id;
            }
        }

        /** (length << 32 | id) of the longest token starting at {@code pos}, or -1. */
        long longestMatch(String text, int pos) {
            Node node = root;
            long best = -1;
            for (int i = pos; i < text.length(); i++) {
                node = node.children.get(text.charAt(i));
                if (node == null) {
                    break;
                }
                if (node.tokenId >= 0) {
                    best = ((long) (i + 1 - pos) << 32) | node.tokenId;
                }
            }
            return best;
        }
    }
}
