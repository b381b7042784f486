package dev.fornax.model;

import dev.fornax.ir.Matrix;
import java.util.Objects;

/**
 * Rows {@code [first, first+rows)} of another matrix, without copying: how phi3's fused
 * {@code qkv_proj} ([q | k | v]) and {@code gate_up_proj} ([gate | up]) are split.
 */
final class RowSliceMatrix implements Matrix {
    private final Matrix base;
    private final int first;
    private final int rows;
    private final String name;

    RowSliceMatrix(Matrix base, int first, int rows, String part) {
        Objects.checkFromIndexSize(first, rows, base.rows());
        this.base = base;
        this.first = first;
        this.rows = rows;
        this.name = base.name() + "[" + part + ": rows " + first + ".." + (first + rows - 1) + "]";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return base.cols();
    }

    @Override
    public void readRow(int row, float[] dst, int offset) {
        Objects.checkIndex(row, rows);
        base.readRow(first + row, dst, offset);
    }
}
