package dev.fornax.engine;

import dev.fornax.ir.ModelSpec;

/**
 * A model that consumes one token at a time with a KV cache (float, int8 golden, or RTL in
 * simulation). All engines share the generation and evaluation code on top of this.
 */
public interface Engine extends AutoCloseable {
    ModelSpec spec();

    /** Starts a new sequence at position 0. */
    void reset();

    /** Number of tokens consumed since {@link #reset()}. */
    int position();

    /** Consumes {@code token} at the next position; returns the logits for the following token. */
    float[] step(int token);

    @Override
    default void close() {}
}
