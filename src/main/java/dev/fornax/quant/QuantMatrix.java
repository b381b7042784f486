package dev.fornax.quant;

import dev.fornax.golden.Tables;

/**
 * One quantised weight matrix: INT8 symmetric, row-major, one scale per output row.
 *
 * <p>Row r stands for {@code data[r·cols + c] · M_r · 2^-k_r} with {@code M_r = scaleM[r]} in
 * [2^15, 2^16) (0 for an all-zero row) and {@code k_r = scaleK[r]} (docs/NUMERICS.md, "Tensor
 * formats"). The embedding and a tied lm_head share one {@code data} array with two scale sets.
 *
 * @param name   source tensor name (reports, error messages, RTL weight file names)
 * @param rows   output rows
 * @param cols   input columns
 * @param data   rows·cols int8 values, row-major; null when the rows were streamed out as they were
 *               made (the compiler writes them straight into a DRAM image, {@link Quantizer.RowStream}),
 *               so only the scales are held
 * @param scaleM per-row multiplier M
 * @param scaleK per-row shift k
 * @param groupSize  INT4 matrices: weights per group ({@link WeightFormat}); 0 for INT8
 * @param groupScale INT4 matrices: the group multipliers u ∈ [1, 18], rows × ceil(cols/groupSize),
 *                   row-major; {@code data} then holds the effective int8 weights q·u (q ∈ [−7, 7] is
 *                   data/u exactly); null for INT8
 */
public record QuantMatrix(String name, int rows, int cols, byte[] data, int[] scaleM, int[] scaleK, int groupSize,
        byte[] groupScale) {

    public QuantMatrix {
        if ((data != null && (long) rows * cols != data.length) || scaleM.length != rows || scaleK.length != rows) {
            throw new IllegalArgumentException("inconsistent quantised matrix " + name + ": " + rows + "×" + cols
                    + ", " + (data == null ? "streamed" : data.length) + " weights, " + scaleM.length + "/"
                    + scaleK.length + " scales");
        }
        if ((groupSize == 0) != (groupScale == null)
                || (groupScale != null && groupScale.length != (long) rows * ((cols + groupSize - 1) / groupSize))) {
            throw new IllegalArgumentException("inconsistent group scales of " + name);
        }
    }

    /** An INT8 matrix. */
    public QuantMatrix(String name, int rows, int cols, byte[] data, int[] scaleM, int[] scaleK) {
        this(name, rows, cols, data, scaleM, scaleK, 0, null);
    }

    /** Groups per row (0 for INT8). */
    public int groups() {
        return groupSize == 0 ? 0 : (cols + groupSize - 1) / groupSize;
    }

    /** The group multiplier u of (row, col) (INT4 only). */
    public int u(int row, int col) {
        return groupScale[row * groups() + col / groupSize];
    }

    public Tables.Scale scale(int row) {
        return new Tables.Scale(scaleM[row], scaleK[row]);
    }

    /** Offset of row r in {@link #data()}. */
    public int offset(int row) {
        return row * cols;
    }

    /** The same int8 rows with another scale set (the tied embedding/lm_head pair). */
    public QuantMatrix withScales(String newName, int[] m, int[] k) {
        return new QuantMatrix(newName, rows, cols, data, m, k, groupSize, groupScale);
    }

    /** The float value of one weight, for reports and tests (never used at inference). */
    public double value(int row, int col) {
        return data[row * cols + col] * scale(row).value();
    }
}
