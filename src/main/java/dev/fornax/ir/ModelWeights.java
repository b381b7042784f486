package dev.fornax.ir;

/**
 * A loaded model: its spec and lazily decoded weights. Closing releases the file mappings.
 * Layers are fetched one at a time so that streaming consumers (the quantizer) never hold all
 * float weights at once.
 */
public interface ModelWeights extends AutoCloseable {
    ModelSpec spec();

    /** Token embedding [vocab × hidden]. */
    Matrix embedding();

    /** Output projection [vocab × hidden]; the embedding itself when tied. */
    Matrix lmHead();

    float[] finalNorm();

    LayerWeights layer(int index);

    @Override
    void close();
}
