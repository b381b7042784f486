package dev.fornax.golden;

/**
 * An engine whose logits are integers (the int8 golden model, the RTL in simulation): Q16 values,
 * reported by {@link dev.fornax.engine.Engine#step} as L/2^16.
 */
public interface RawLogits {
    /** The Q16 logits of the last step (a copy). */
    int[] rawLogits();
}
