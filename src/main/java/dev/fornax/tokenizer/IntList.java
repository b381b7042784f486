package dev.fornax.tokenizer;

import java.util.Arrays;

/** A growable list of ints (token ids) without boxing. */
public final class IntList {
    private int[] data = new int[16];
    private int size;

    public void add(int value) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = value;
    }

    public void addAll(int[] values) {
        for (int v : values) {
            add(v);
        }
    }

    public int get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return data[index];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
