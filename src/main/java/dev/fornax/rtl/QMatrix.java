package dev.fornax.rtl;

/**
 * An INT8 matrix as the hardware stores it: row-major int8 weights plus, per output row, the
 * requantisation scale (M, k) (value ≈ M·2^-k) and a Q16 bias (0 when the layer has none).
 * {@code q} is null when the rows were streamed into a DRAM image as they were quantised.
 */
public record QMatrix(String name, int rows, int cols, byte[] q, int[] m, int[] k, int[] bias) {
    public QMatrix {
        if ((q != null && q.length != (long) rows * cols) || m.length != rows || k.length != rows || bias.length != rows) {
            throw new IllegalArgumentException(name + ": inconsistent shapes");
        }
    }
}
