package dev.fornax.engine;

import dev.fornax.ir.Matrix;

/**
 * A matrix read from its source (memory-mapped file) on every product: no float32 copy in the
 * heap, at the cost of decoding each row again per token. One row buffer per pool worker.
 */
final class StreamingMatVec implements MatVec {
    private final Matrix source;
    private final float[][] buffers;

    StreamingMatVec(Matrix source, int workers) {
        this.source = source;
        this.buffers = new float[workers][source.cols()];
    }

    @Override
    public int rows() {
        return source.rows();
    }

    @Override
    public int cols() {
        return source.cols();
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public void readRow(int row, float[] dst) {
        source.readRow(row, dst, 0);
    }

    @Override
    public float dotRow(int row, float[] x, int worker) {
        float[] buf = buffers[worker];
        source.readRow(row, buf, 0);
        return Kernels.dot(buf, x, source.cols());
    }
}
