package dev.fornax.engine;

/**
 * Keys and values of every consumed position, per layer, as float32 [position × kvHeads·headDim].
 * Grows by doubling up to the model's context length, so a short generation on a model with a
 * 128K context does not reserve gigabytes up front.
 */
final class KvCache {
    private static final int INITIAL_POSITIONS = 64;

    private final int layers;
    private final int width;
    private final int maxPositions;
    private float[][] keys;
    private float[][] values;
    private int capacity;

    KvCache(int layers, int width, int maxPositions) {
        this.layers = layers;
        this.width = width;
        this.maxPositions = maxPositions;
        this.capacity = 0;
        this.keys = new float[layers][0];
        this.values = new float[layers][0];
    }

    /** Makes room for position {@code pos} (0-based) in every layer. */
    void ensure(int pos) {
        if (pos < capacity) {
            return;
        }
        int grown = Math.max(INITIAL_POSITIONS, capacity);
        while (grown <= pos) {
            grown = grown * 2;
        }
        grown = Math.min(grown, maxPositions);
        for (int l = 0; l < layers; l++) {
            keys[l] = java.util.Arrays.copyOf(keys[l], Math.multiplyExact(grown, width));
            values[l] = java.util.Arrays.copyOf(values[l], Math.multiplyExact(grown, width));
        }
        capacity = grown;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    int width() {
        return width;
    }
}
