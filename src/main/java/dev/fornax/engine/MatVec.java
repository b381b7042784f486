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

    /** {@code Σ_c W[row][c]·x[c]}; {@code worker} is the calling pool worker (for scratch buffers). */
    float dotRow(int row, float[] x, int worker);

    /** {@code out[r] = Σ_c W[r][c]·x[c]} for every row, rows split over the pool. */
    default void apply(float[] x, float[] out, Parallel parallel) {
        parallel.forRange(rows(), (from, to, worker) -> {
            for (int r = from; r < to; r++) {
                out[r] = dotRow(r, x, worker);
            }
        });
    }

    /**
     * Several products with the same input in one pass over the pool ({@code outs[i] = ms[i]·x}):
     * one hand-off to the worker threads instead of one per matrix (q/k/v, gate/up).
     */
    static void applyAll(MatVec[] ms, float[] x, float[][] outs, Parallel parallel) {
        int[] starts = new int[ms.length + 1];
        for (int i = 0; i < ms.length; i++) {
            starts[i + 1] = starts[i] + ms[i].rows();
        }
        parallel.forRange(starts[ms.length], (from, to, worker) -> {
            int m = 0;
            while (starts[m + 1] <= from) {
                m++;
            }
            for (int r = from; r < to; r++) {
                while (r >= starts[m + 1]) {
                    m++;
                }
                outs[m][r - starts[m]] = ms[m].dotRow(r - starts[m], x, worker);
            }
        });
    }

    /** Decodes every row now (in parallel) and keeps them as float32: 4 bytes per weight. */
    static MatVec cached(Matrix m, Parallel parallel) {
        return CachedMatVec.decode(m, parallel);
    }

    /** Keeps only the source matrix and decodes each row when it is needed. */
    static MatVec streaming(Matrix m, Parallel parallel) {
        return new StreamingMatVec(m, parallel.threads());
    }
}
