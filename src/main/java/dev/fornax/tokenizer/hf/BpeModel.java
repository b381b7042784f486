package dev.fornax.tokenizer.hf;

import dev.fornax.FornaxException;
import dev.fornax.tokenizer.IntList;
import dev.fornax.tokenizer.PairMerger;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HF's BPE model ({@code tokenizer.json} "model": {"type": "BPE"}), as {@code tokenizers}
 * {@code BPE::tokenize} computes it: each character of a piece becomes a symbol (or its
 * {@code <0xNN>} bytes with byte fallback, or {@code unk}, consecutive unknowns fused when
 * {@code fuse_unk}), then merges apply lowest rank first. With {@code ignore_merges} a piece that is
 * itself in the vocabulary is taken whole.
 */
final class BpeModel {
    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final MergeTable merges;
    private final String unkToken;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final String continuingSubwordPrefix;
    private final String endOfWordSuffix;
    private final int[] byteTokenIds; // id of "<0xNN>" per byte, -1 when absent

    BpeModel(Map<String, Integer> vocab, String[] idToToken, MergeTable merges, Options options) {
        this.vocab = vocab;
        this.idToToken = idToToken;
        this.merges = merges;
        this.unkToken = options.unkToken();
        this.fuseUnk = options.fuseUnk();
        this.byteFallback = options.byteFallback();
        this.ignoreMerges = options.ignoreMerges();
        this.continuingSubwordPrefix = options.continuingSubwordPrefix();
        this.endOfWordSuffix = options.endOfWordSuffix();
        this.byteTokenIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteTokenIds[b] = vocab.getOrDefault(String.format("<0x%02X>", b), -1);
        }
    }

    /** The model's settings besides vocabulary and merges; null strings mean "none". */
    record Options(String unkToken, boolean fuseUnk, boolean byteFallback, boolean ignoreMerges,
            String continuingSubwordPrefix, String endOfWordSuffix) {}

    /** Appends the ids of one pre-tokenized piece. */
    void tokenize(String piece, IntList out) {
        if (piece.isEmpty()) {
            return;
        }
        if (ignoreMerges) {
            Integer whole = vocab.get(piece);
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        IntList symbols = new IntList();
        int unkId = -1; // a pending unknown symbol, fused with following unknowns when fuse_unk
        for (int i = 0; i < piece.length(); ) {
            int end = piece.offsetByCodePoints(i, 1);
            String symbol = piece.substring(i, end);
            if (i > 0 && continuingSubwordPrefix != null) {
                symbol = continuingSubwordPrefix + symbol;
            }
            if (end == piece.length() && endOfWordSuffix != null) {
                symbol = symbol + endOfWordSuffix;
            }
            i = end;
            Integer id = vocab.get(symbol);
            if (id != null) {
                if (unkId >= 0) {
                    symbols.add(unkId);
                    unkId = -1;
                }
                symbols.add(id);
                continue;
            }
            if (byteFallback && addByteTokens(symbol, symbols)) {
                continue; // HF leaves a pending unknown in place here, so does this
            }
            if (unkToken != null) {
                if (unkId >= 0 && !fuseUnk) {
                    symbols.add(unkId);
                }
                unkId = unkIdOrThrow();
            }
        }
        if (unkId >= 0) {
            symbols.add(unkId);
        }
        int[] merged = PairMerger.merge(symbols.toArray(), symbols.size(), merges);
        out.addAll(merged);
    }

    /** Adds the {@code <0xNN>} tokens of the symbol's UTF-8 bytes, or nothing if one is missing. */
    private boolean addByteTokens(String symbol, IntList symbols) {
        byte[] bytes = symbol.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int k = 0; k < bytes.length; k++) {
            ids[k] = byteTokenIds[bytes[k] & 0xFF];
            if (ids[k] < 0) {
                return false;
            }
        }
        symbols.addAll(ids);
        return true;
    }

    private int unkIdOrThrow() {
        Integer id = vocab.get(unkToken);
        if (id == null) {
            throw new FornaxException("the BPE unk_token \"" + unkToken + "\" is not in the vocabulary");
        }
        return id;
    }

    /** The vocabulary entry of {@code id}, or null. */
    String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    Integer id(String token) {
        return vocab.get(token);
    }

    /** One more than the largest id in the vocabulary. */
    int idLimit() {
        return idToToken.length;
    }

    int mergeCount() {
        return merges.size();
    }
}
