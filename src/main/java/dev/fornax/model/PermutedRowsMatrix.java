package dev.fornax.model;

import dev.fornax.ir.Matrix;
import java.util.Objects;

/** Another matrix with its rows reordered: row r reads {@code base} row {@code sourceRow[r]}. */
final class PermutedRowsMatrix implements Matrix {
    private final Matrix base;
    private final int[] sourceRow;

    PermutedRowsMatrix(Matrix base, int[] sourceRow) {
        if (sourceRow.length != base.rows()) {
            throw new IllegalArgumentException("permutation of " + sourceRow.length + " rows for " + base.rows());
        }
        this.base = base;
        this.sourceRow = sourceRow.clone();
    }

    /**
     * q/k rows stored with RoPE pairs interleaved per head, (2i, 2i+1) — llama2.c and llama.cpp's
     * llama layout — as HF's rotate-half layout, pairs (i, i + headSize/2).
     */
    static PermutedRowsMatrix rotateHalfFromInterleaved(Matrix base, int heads, int headSize) {
        return new PermutedRowsMatrix(base, interleavedToRotateHalf(heads, headSize));
    }

    /**
     * For heads of {@code headSize} rows in interleaved order (pair (2i, 2i+1) rotates together),
     * the source row of each HF row: HF row h·hs + j·hs/2 + i holds row h·hs + 2i + j.
     */
    static int[] interleavedToRotateHalf(int heads, int headSize) {
        int half = headSize / 2;
        int[] source = new int[heads * headSize];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < half; i++) {
                    source[h * headSize + j * half + i] = h * headSize + 2 * i + j;
                }
            }
        }
        return source;
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public int rows() {
        return base.rows();
    }

    @Override
    public int cols() {
        return base.cols();
    }

    @Override
    public void readRow(int row, float[] dst, int offset) {
        Objects.checkIndex(row, sourceRow.length);
        base.readRow(sourceRow[row], dst, offset);
    }
}
