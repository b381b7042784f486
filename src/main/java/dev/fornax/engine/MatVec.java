package dev.fornax.engine;

import dev.fornax.ir.Matrix;

/**
 * A weight matrix ready for matrix-vector products: {@code out = W·x} for W [rows × cols].
 * Either decoded once to float32 in the heap ({@link #cached}) or decoded row by row from the
 * source {@link Matrix} on every product ({@link #streaming}); both give identical results since
 * each row's dot product is the same code over the same float32 values.
 */
public interface MatVec {
    int rows();

    int cols();

    /** The tensor name, for messages. */
    String name();

    /** Decodes row {@code row} into {@code dst[0 .. cols)} (used for embedding lookups). */
    void readRow(int row, float[] dst);

    /** {@code out[r] = Σ_c W[r][c]·x[c]} for every row, rows split over the pool. */
    void apply(float[] x, float[] out, Parallel parallel);

    /** Decodes every row now (in parallel) and keeps them as float32: 4 bytes per weight. */
    static MatVec cached(Matrix m, Parallel parallel) {
        return CachedMatVec.decode(m, parallel);
    }

    /** Keeps only the source matrix and decodes each row when it is needed. */
    static MatVec streaming(Matrix m, Parallel parallel) {
        return new StreamingMatVec(m, parallel.threads());
    }
}
