package dev.fornax.engine;

import dev.fornax.ir.Matrix;

/** A matrix decoded once to float32, one array per row (no 2^31-element limit on the whole). */
final class CachedMatVec implements MatVec {
    private final String name;
    private final int cols;
    private final float[][] rows;

    private CachedMatVec(String name, int cols, float[][] rows) {
        this.name = name;
        this.cols = cols;
        this.rows = rows;
    }

    static CachedMatVec decode(Matrix m, Parallel parallel) {
        int n = m.rows();
        int cols = m.cols();
        float[][] rows = new float[n][];
        parallel.forRange(n, (from, to, worker) -> {
            for (int r = from; r < to; r++) {
                float[] row = new float[cols];
                m.readRow(r, row, 0);
                rows[r] = row;
            }
        });
        return new CachedMatVec(m.name(), cols, rows);
    }

    @Override
    public int rows() {
        return rows.length;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void readRow(int row, float[] dst) {
        System.arraycopy(rows[row], 0, dst, 0, cols);
    }

    @Override
    public void apply(float[] x, float[] out, Parallel parallel) {
        parallel.forRange(rows.length, (from, to, worker) -> {
            for (int r = from; r < to; r++) {
                out[r] = Kernels.dot(rows[r], x, cols);
            }
        });
    }
}
