package dev.fornax.engine;

import dev.fornax.ir.Matrix;

/**
 * A matrix decoded once into the heap, one array per row (no 2^31-element limit on the whole).
 * When every weight is exactly a bfloat16 value (the matrix came from a BF16 checkpoint) the rows
 * are kept as the upper 16 bits of each float32: half the memory and half the bytes streamed per
 * token, and the same float32 values enter the same dot products, so the logits are bit-identical.
 * Otherwise the rows are kept as float32.
 */
final class CachedMatVec implements MatVec {
    private final String name;
    private final int cols;
    private final short[][] bf16Rows; // null unless every weight is bf16-exact
    private final float[][] f32Rows; // null when bf16Rows is used

    private CachedMatVec(String name, int cols, short[][] bf16Rows, float[][] f32Rows) {
        this.name = name;
        this.cols = cols;
        this.bf16Rows = bf16Rows;
        this.f32Rows = f32Rows;
    }

    static CachedMatVec decode(Matrix m, Parallel parallel) {
        int n = m.rows();
        int cols = m.cols();
        float[][] f32 = new float[n][];
        short[][] bf16 = new short[n][];
        // One flag per worker; a worker that gets no rows (small matrix) leaves its flag false.
        boolean[] needsF32 = new boolean[parallel.threads()];
        parallel.forRange(n, (from, to, worker) -> {
            float[] row = new float[cols];
            boolean exact = true;
            for (int r = from; r < to; r++) {
                m.readRow(r, row, 0);
                if (exact) {
                    short[] packed = toBf16(row);
                    if (packed != null) {
                        bf16[r] = packed;
                        continue;
                    }
                    exact = false;
                }
                f32[r] = row.clone();
            }
            needsF32[worker] = !exact;
        });
        boolean compact = true;
        for (boolean b : needsF32) {
            compact &= !b;
        }
        if (compact) {
            return new CachedMatVec(m.name(), cols, bf16, null);
        }
        // Some row needs float32: widen the rows that were packed before that was known.
        for (int r = 0; r < n; r++) {
            if (f32[r] == null) {
                f32[r] = fromBf16(bf16[r]);
                bf16[r] = null;
            }
        }
        return new CachedMatVec(m.name(), cols, null, f32);
    }

    /** The upper halves of the bit patterns when every value is bf16-exact (low 16 bits zero), else null. */
    private static short[] toBf16(float[] row) {
        short[] out = new short[row.length];
        for (int i = 0; i < row.length; i++) {
            int bits = Float.floatToRawIntBits(row[i]);
            if ((bits & 0xFFFF) != 0) {
                return null;
            }
            out[i] = (short) (bits >>> 16);
        }
        return out;
    }

    private static float[] fromBf16(short[] row) {
        float[] out = new float[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = Float.intBitsToFloat(row[i] << 16);
        }
        return out;
    }

    /** Whether the rows are held as bfloat16 (2 bytes per weight) rather than float32. */
    boolean compact() {
        return bf16Rows != null;
    }

    @Override
    public int rows() {
        return bf16Rows != null ? bf16Rows.length : f32Rows.length;
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
        if (bf16Rows != null) {
            short[] r = bf16Rows[row];
            for (int i = 0; i < cols; i++) {
                dst[i] = Float.intBitsToFloat(r[i] << 16);
            }
        } else {
            System.arraycopy(f32Rows[row], 0, dst, 0, cols);
        }
    }

    @Override
    public float dotRow(int row, float[] x, int worker) {
        return bf16Rows != null ? Kernels.dotBf16(bf16Rows[row], x, cols) : Kernels.dot(f32Rows[row], x, cols);
    }
}
