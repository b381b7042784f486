package dev.fornax.tokenizer;

import java.util.Arrays;

/**
 * The BPE merge loop shared by the llama2.c and HF tokenizers: repeatedly merges the adjacent pair with
 * the best (lowest) priority, the leftmost one among equals, until no pair merges. Symbols live in a
 * linked list and candidate pairs in a heap, so a word of n symbols costs O(n log n) instead of the
 * O(n²) rescans of llama2.c's run.c; the order of merges, hence the result, is the same.
 */
public final class PairMerger {
    /** Which adjacent pairs merge, into what, and how urgently. */
    public interface Rule {
        long NONE = -1L;

        /** {@link #pack}(priority, resultId) when {@code left right} merge, else {@link #NONE}. */
        long find(int left, int right);

        /** Packs a merge; priority ≥ 0, lower merges first. */
        static long pack(int priority, int resultId) {
            return ((long) priority << 32) | (resultId & 0xFFFFFFFFL);
        }

        static int priority(long merge) {
            return (int) (merge >>> 32);
        }

        static int resultId(long merge) {
            return (int) merge;
        }
    }

    private PairMerger() {}

    /** Merges {@code symbols[0..count)} in place order and returns the resulting ids. */
    public static int[] merge(int[] symbols, int count, Rule rule) {
        if (count < 2) {
            return Arrays.copyOf(symbols, count);
        }
        int[] ids = Arrays.copyOf(symbols, count);
        int[] next = new int[count];
        int[] prev = new int[count];
        boolean[] removed = new boolean[count];
        for (int i = 0; i < count; i++) {
            next[i] = i + 1 < count ? i + 1 : -1;
            prev[i] = i - 1;
        }
        Heap heap = new Heap(count);
        for (int i = 0; i + 1 < count; i++) {
            offer(heap, rule, ids, i, i + 1);
        }
        int remaining = count;
        while (!heap.isEmpty()) {
            long key = heap.peekKey();
            int resultId = heap.peekValue();
            heap.pop();
            int pos = (int) (key & 0x7FFFFFFFL);
            int right = next[pos];
            if (removed[pos] || right < 0) {
                continue;
            }
            long current = rule.find(ids[pos], ids[right]);
            if (current == Rule.NONE || Rule.resultId(current) != resultId) {
                continue; // stale: one side was merged since this pair was queued
            }
            ids[pos] = resultId;
            removed[right] = true;
            remaining--;
            next[pos] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
            if (prev[pos] >= 0) {
                offer(heap, rule, ids, prev[pos], pos);
            }
            if (next[pos] >= 0) {
                offer(heap, rule, ids, pos, next[pos]);
            }
        }
        int[] out = new int[remaining];
        int n = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[n++] = ids[i];
        }
        return out;
    }

    private static void offer(Heap heap, Rule rule, int[] ids, int left, int right) {
        long merge = rule.find(ids[left], ids[right]);
        if (merge != Rule.NONE) {
            // key orders by priority, then by position (leftmost first)
            heap.push(((long) Rule.priority(merge) << 31) | left, Rule.resultId(merge));
        }
    }

    /** Binary min-heap of (long key, int value). */
    private static final class Heap {
        private long[] keys;
        private int[] values;
        private int size;

        Heap(int capacity) {
            keys = new long[Math.max(4, capacity)];
            values = new int[keys.length];
        }

        boolean isEmpty() {
            return size == 0;
        }

        long peekKey() {
            return keys[0];
        }

        int peekValue() {
            return values[0];
        }

        void push(long key, int value) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                values[i] = values[parent];
                i = parent;
            }
            keys[i] = key;
            values[i] = value;
        }

        void pop() {
            size--;
            long key = keys[size];
            int value = values[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && keys[child + 1] < keys[child]) {
                    child++;
                }
                if (keys[child] >= key) {
                    break;
                }
                keys[i] = keys[child];
                values[i] = values[child];
                i = child;
            }
            keys[i] = key;
            values[i] = value;
        }
    }
}
