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
