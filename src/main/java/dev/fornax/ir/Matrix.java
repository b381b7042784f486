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

    default float[] row(int row) {
        float[] r = new float[cols()];
        readRow(row, r, 0);
        return r;
    }
}
