package dev.fornax.tokenizer.hf;

import dev.fornax.FornaxException;
import dev.fornax.gguf.GgufFile;
import dev.fornax.gguf.GgufMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer stored in a GGUF file's {@code tokenizer.ggml.*} metadata, rebuilt as the HF
 * {@code tokenizer.json} pipeline it was converted from, so that it runs on the same machinery
 * ({@link HfTokenizer}) and encodes as HF does:
 * <ul>
 *   <li>{@code llama} (SentencePiece BPE: tokens, scores, token types): BPE with byte fallback whose
 *       merges are derived from the scores exactly as transformers' {@code SentencePieceExtractor}
 *       derives a {@code tokenizer.json} from a SentencePiece model (every split of every piece into
 *       two pieces, ordered by the piece's score, highest first, ties in vocabulary order); the
 *       {@code ▁} normalizer with a prepended {@code ▁} when {@code add_space_prefix} (default true)
 *       and the matching decoder; control, unknown and user-defined tokens are added tokens.</li>
 *   <li>{@code gpt2} (byte-level BPE: tokens, token types, merges): the pre-tokenizer of
 *       {@code tokenizer.ggml.pre} as llama.cpp maps it ({@link PreTokenizers}), the byte-level
 *       alphabet and decoder; control and user-defined tokens are added tokens.</li>
 * </ul>
 * BOS/EOS come from {@code tokenizer.ggml.bos_token_id}/{@code eos_token_id}, whether to add them from
 * {@code add_bos_token}/{@code add_eos_token}, with llama.cpp's defaults when absent (SentencePiece:
 * BOS yes; byte-level: no, except the pre-tokenizers llama.cpp gives a BOS: llama3, tekken, chameleon).
 */
public final class GgufTokenizer {
    static final String PREFIX = "tokenizer.ggml.";
    /** llama.cpp's llama_token_type / SentencePiece piece types. */
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;

    private GgufTokenizer() {}

    /** The tokenizer of an open GGUF file, or null when the file has none ({@code tokenizer.ggml.model} absent). */
    public static HfTokenizer read(GgufFile file) {
        GgufMetadata meta = file.meta();
        if (!meta.has(PREFIX + "model")) {
            return null;
        }
        String model = meta.requireString(PREFIX + "model");
        String[] tokens = meta.requireStringArray(PREFIX + "tokens");
        int n = tokens.length;
        int[] types = types(meta, n);
        return switch (model) {
            case "llama" -> sentencePiece(file.file(), meta, tokens, types);
            case "gpt2" -> byteLevel(file.file(), meta, tokens, types);
            default -> throw meta.error(PREFIX + "model", "is '" + model
                    + "', which is not supported (supported: llama (SentencePiece BPE), gpt2 (byte-level BPE))");
        };
    }

    /** Opens {@code path} and reads its tokenizer; an error when it has none. */
    public static HfTokenizer read(Path path) {
        try (GgufFile file = GgufFile.read(path)) {
            HfTokenizer t = read(file);
            if (t == null) {
                throw new FornaxException(path + ": this GGUF file has no tokenizer (no metadata '" + PREFIX + "model')");
            }
            return t;
        }
    }

    private static int[] types(GgufMetadata meta, int n) {
        int[] types = new int[n];
        if (!meta.has(PREFIX + "token_type")) {
            Arrays.fill(types, NORMAL);
            return types;
        }
        long[] raw = meta.requireIntegerArray(PREFIX + "token_type");
        if (raw.length != n) {
            throw meta.error(PREFIX + "token_type", "has " + raw.length + " entries for " + n + " tokens");
        }
        for (int i = 0; i < n; i++) {
            if (raw[i] < 0 || raw[i] > 6) {
                throw meta.error(PREFIX + "token_type", "entry " + i + " is " + raw[i] + ", not a token type (0..6)");
            }
            types[i] = (int) raw[i];
        }
        return types;
    }

    private static HfTokenizer sentencePiece(Path file, GgufMetadata meta, String[] tokens, int[] types) {
        int n = tokens.length;
        float[] scores = new float[n];
        if (meta.has(PREFIX + "scores")) {
            float[] raw = meta.requireFloatArray(PREFIX + "scores");
            if (raw.length != n) {
                throw meta.error(PREFIX + "scores", "has " + raw.length + " entries for " + n + " tokens");
            }
            scores = raw;
        }
        Map<String, Integer> vocab = vocabulary(tokens);
        MergeTable merges = sentencePieceMerges(tokens, scores, vocab);
        int unkId = specialId(meta, "unknown_token_id", n, 0);
        String unk = unkId >= 0 ? tokens[unkId] : null;
        BpeModel model = new BpeModel(vocab, tokens.clone(), merges,
                new BpeModel.Options(unk, true, true, false, null, null));

        boolean prefix = meta.optBoolean(PREFIX + "add_space_prefix", true);
        List<Normalizer> norms = new ArrayList<>();
        if (prefix) {
            norms.add(new Normalizer.Prepend("▁"));
        }
        norms.add(new Normalizer.Replace(OnigRegex.literal(" "), "▁"));
        Normalizer normalizer = new Normalizer.Sequence(norms);

        List<Decoder> decoders = new ArrayList<>(List.of(new Decoder.Replace(OnigRegex.literal("▁"), " "),
                new Decoder.ByteFallback(), new Decoder.Fuse()));
        if (prefix) {
            decoders.add(new Decoder.Strip(' ', 1, 0));
        }
        List<AddedToken> added = addedTokens(tokens, types, true);
        return new HfTokenizer(file, new AddedVocabulary(added, normalizer), normalizer, null, model,
                postProcessor(meta, tokens, true), new Decoder.Sequence(decoders));
    }

    private static HfTokenizer byteLevel(Path file, GgufMetadata meta, String[] tokens, int[] types) {
        Map<String, Integer> vocab = vocabulary(tokens);
        String[] mergeList = meta.requireStringArray(PREFIX + "merges");
        MergeTable merges = new MergeTable(mergeList.length);
        for (int rank = 0; rank < mergeList.length; rank++) {
            String merge = mergeList[rank];
            int space = merge.indexOf(' ', 1); // llama.cpp: the first space after the first character
            if (space < 0) {
                throw meta.error(PREFIX + "merges", "entry " + rank + " \"" + merge + "\" is not two tokens separated by a space");
            }
            String left = merge.substring(0, space);
            String right = merge.substring(space + 1);
            Integer l = vocab.get(left);
            Integer r = vocab.get(right);
            Integer m = vocab.get(left + right);
            if (l == null || r == null || m == null) {
                throw meta.error(PREFIX + "merges", "entry " + rank + " \"" + merge + "\" names a token that is not in "
                        + PREFIX + "tokens");
            }
            merges.put(l, r, rank, m);
        }
        String pre = meta.optString(PREFIX + "pre", "default");
        PreTokenizers.Spec spec = PreTokenizers.of(pre);
        if (spec == null) {
            throw meta.error(PREFIX + "pre", "is '" + pre + "', a pre-tokenizer that is not supported (supported: "
                    + PreTokenizers.supported() + ")");
        }
        BpeModel model = new BpeModel(vocab, tokens.clone(), merges,
                new BpeModel.Options(null, false, false, spec.ignoreMerges(), null, null));
        List<AddedToken> added = addedTokens(tokens, types, false);
        return new HfTokenizer(file, new AddedVocabulary(added, spec.normalizer()), spec.normalizer(),
                spec.preTokenizer(), model, postProcessor(meta, tokens, spec.addBos()), new Decoder.ByteLevel());
    }

    /** Token → id; a repeated token keeps its last id, as llama.cpp's and SentencePiece's maps do. */
    private static Map<String, Integer> vocabulary(String[] tokens) {
        Map<String, Integer> vocab = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
        }
        return vocab;
    }

    /**
     * transformers' {@code SentencePieceExtractor.extract(vocab_scores)}: for each piece in id order,
     * every split into two vocabulary pieces (ordered by their ids), all sorted by the piece's score,
     * highest first (a stable sort, so ties stay in that order). The rank is the position in that list.
     */
    static MergeTable sentencePieceMerges(String[] tokens, float[] scores, Map<String, Integer> vocab) {
        List<long[]> merges = new ArrayList<>(); // {left, right, merged}
        for (int id = 0; id < tokens.length; id++) {
            if (vocab.get(tokens[id]) != id) {
                continue; // a repeated piece: the dict in transformers holds it once
            }
            String piece = tokens[id];
            List<long[]> local = new ArrayList<>();
            for (int cut = piece.offsetByCodePoints(0, Math.min(1, piece.codePointCount(0, piece.length())));
                    cut < piece.length(); cut = piece.offsetByCodePoints(cut, 1)) {
                Integer l = vocab.get(piece.substring(0, cut));
                Integer r = vocab.get(piece.substring(cut));
                if (l != null && r != null) {
                    local.add(new long[] {l, r, id});
                }
            }
            local.sort(Comparator.<long[]>comparingLong(m -> m[0]).thenComparingLong(m -> m[1]));
            merges.addAll(local);
        }
        merges.sort(Comparator.comparingDouble((long[] m) -> -scores[(int) m[2]])); // List.sort is stable
        MergeTable table = new MergeTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            long[] m = merges.get(rank);
            table.put((int) m[0], (int) m[1], rank, (int) m[2]); // a pair fixes its result: no pair repeats
        }
        return table;
    }

    private static List<AddedToken> addedTokens(String[] tokens, int[] types, boolean unknownIsSpecial) {
        List<AddedToken> added = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            boolean special = types[i] == CONTROL || (unknownIsSpecial && types[i] == UNKNOWN);
            if (special || types[i] == USER_DEFINED) {
                added.add(new AddedToken(i, tokens[i], special, false, false, false, false));
            }
        }
        return added;
    }

    private static int specialId(GgufMetadata meta, String key, int n, int fallback) {
        int id = meta.has(PREFIX + key) ? meta.optTokenId(PREFIX + key) : fallback;
        if (id >= n) {
            throw meta.error(PREFIX + key, id + " is outside the vocabulary of " + n + " tokens");
        }
        return id;
    }

    private static PostProcessor postProcessor(GgufMetadata meta, String[] tokens, boolean bosByDefault) {
        List<PostProcessor.Template.Item> items = new ArrayList<>();
        if (meta.optBoolean(PREFIX + "add_bos_token", bosByDefault)) {
            items.add(special(meta, tokens, "bos_token_id", "add_bos_token"));
        }
        items.add(new PostProcessor.Template.Text());
        if (meta.optBoolean(PREFIX + "add_eos_token", false)) {
            items.add(special(meta, tokens, "eos_token_id", "add_eos_token"));
        }
        return new PostProcessor.Template(items);
    }

    private static PostProcessor.Template.Special special(GgufMetadata meta, String[] tokens, String key, String flag) {
        int id = specialId(meta, key, tokens.length, -1);
        if (id < 0) {
            throw meta.error(PREFIX + key, "is missing but " + PREFIX + flag + " is true");
        }
        return new PostProcessor.Template.Special(tokens[id], new int[] {id});
    }
}
