package dev.fornax.sim;

/**
 * What the hardware is compared with: a model stepped one token at a time that returns its raw
 * int32 Q16 logits (the integer golden model for real designs; a formula for the test stand-in).
 */
public interface GoldenReference extends AutoCloseable {
    /** Starts a new sequence at position 0. */
    void reset();

    /** Consumes {@code token} at the next position; the logits of the following token (a fresh array). */
    int[] stepRaw(int token);

    /**
     * Reports every intermediate vector of the following steps to {@code sink} (null: stop);
     * references without per-op vectors leave this unsupported.
     */
    default void setTrace(OpTrace.Sink sink) {
        throw new UnsupportedOperationException("this reference has no per-op trace");
    }

    @Override
    default void close() {}
}
