package dev.fornax.tokenizer.hf;

import dev.fornax.tokenizer.PairMerger;

/**
 * BPE merges by token pair: (left id, right id) → (rank, merged id), in an open-addressing table of
 * primitive longs (Gemma 3 has 514,906 merges; boxed maps would cost seconds and hundreds of MB).
 */
final class MergeTable implements PairMerger.Rule {
    private static final long EMPTY = -1L;

    private long[] keys;
    private long[] values;
    private int size;

    MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
    }

    /** Adds or replaces the merge of {@code left right} (a later duplicate wins, as in HF). */
    void put(int left, int right, int rank, int mergedId) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(key(left, right), PairMerger.Rule.pack(rank, mergedId));
    }

    @Override
    public long find(int left, int right) {
        long key = key(left, right);
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return NONE;
            }
        }
    }

    int size() {
        return size;
    }

    private void insert(long key, long value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[keys.length];
        java.util.Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
