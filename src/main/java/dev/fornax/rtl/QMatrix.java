package dev.fornax.rtl;

/**
 * An INT8 matrix as the hardware stores it: row-major int8 weights plus, per output row, the
 * requantisation scale (M, k) (value ≈ M·2^-k) and a Q16 bias (0 when the layer has none).
 * {@code q} is null when the rows were streamed into a DRAM image as they were quantised.
 */
public record QMatrix(String name, int rows, int cols, byte[] q, int[] m, int[] k, int[] bias, int groupSize,
        byte[] u) {
    public QMatrix {
        if ((q != null && q.length != (long) rows * cols) || m.length != rows || k.length != rows || bias.length != rows) {
            throw new IllegalArgumentException(name + ": inconsistent shapes");
        }
    }

    /** An INT8 matrix. */
    public QMatrix(String name, int rows, int cols, byte[] q, int[] m, int[] k, int[] bias) {
        this(name, rows, cols, q, m, k, bias, 0, null);
    }

    /** INT4 (docs/NUMERICS.md): q holds the effective weights q4·u, u the group multipliers, rows × groups. */
    public boolean int4() {
        return groupSize != 0;
    }

    public int groups() {
        return groupSize == 0 ? 0 : (cols + groupSize - 1) / groupSize;
    }
}
