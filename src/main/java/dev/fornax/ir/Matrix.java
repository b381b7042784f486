package dev.fornax.ir;

/**
 * A read-only weight matrix [rows × cols], row-major, decoded to float32 on demand. Implementations
 * read from memory-mapped files, so a whole model never sits in the heap; callers copy rows.
 */
public interface Matrix {
    /** The tensor name in its source file (for error messages and reports). */
    String name();

    int rows();

    int cols();

    /** Decodes row {@code row} into {@code dst[offset .. offset+cols)}. */
    void readRow(int row, float[] dst, int offset);

    /** What a view does to a row after its source matrix decoded it. */
    @FunctionalInterface
    interface RowHook {
        void apply(int row, float[] dst, int offset);
    }

    /** This matrix under another name, with {@code hook} run on every row after it is decoded. */
    default Matrix afterRead(String name, RowHook hook) {
        Matrix m = this;
        return new Matrix() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int rows() {
                return m.rows();
            }

            @Override
            public int cols() {
                return m.cols();
            }

            @Override
            public void readRow(int row, float[] dst, int offset) {
                m.readRow(row, dst, offset);
                hook.apply(row, dst, offset);
            }
        };
    }

    default float[] row(int row) {
        float[] r = new float[cols()];
        readRow(row, r, 0);
        return r;
    }
}
