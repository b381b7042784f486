package dev.fornax.quant;

import dev.fornax.FornaxException;

/**
 * How weights are stored (docs/NUMERICS.md, "INT4 weights"): INT8 with one scale per row (the
 * default, {@link #INT8}), or INT4 q ∈ [−7, 7] with one unsigned multiplier u ∈ [1, {@link #U_MAX}]
 * per group of {@code groupSize} consecutive weights of a row, relative to the row's requant scale.
 * Since |q·u| ≤ 7·18 = 126, the effective weight q·u is an int8: the accumulator, requantiser and
 * every bound of the 8-bit design hold unchanged.
 *
 * @param bits      8 or 4
 * @param groupSize INT4: weights per group, a power of two in 32..256; INT8: 0
 */
public record WeightFormat(int bits, int groupSize) {
    /** Largest INT4 magnitude (symmetric: −8 is never used, so negation is exact and the range balanced). */
    public static final int Q4_MAX = 7;
    /** Largest group multiplier: 7·18 = 126 ≤ 127, so q·u is an int8. */
    public static final int U_MAX = 18;

    public static final WeightFormat INT8 = new WeightFormat(8, 0);

    public WeightFormat {
        if (bits == 8) {
            if (groupSize != 0) {
                throw new FornaxException("--group-size applies to --weight-bits 4 only");
            }
        } else if (bits == 4) {
            if (groupSize < 32 || groupSize > 256 || Integer.bitCount(groupSize) != 1) {
                throw new FornaxException("--group-size must be a power of two in 32..256, got " + groupSize);
            }
        } else {
            throw new FornaxException("--weight-bits must be 4 or 8, got " + bits);
        }
    }

    /**
     * The format of the CLI options {@code --weight-bits B [--group-size G]}: G defaults to 32 for
     * 4 bits and must be absent for 8.
     */
    public static WeightFormat of(int bits, Integer groupSize) {
        if (bits == 4) {
            return new WeightFormat(4, groupSize == null ? 32 : groupSize);
        }
        if (bits == 8 && groupSize != null) {
            throw new FornaxException("--group-size " + groupSize + " applies to --weight-bits 4 only");
        }
        return new WeightFormat(bits, 0);
    }

    public boolean int4() {
        return bits == 4;
    }

    /** Groups in a row of {@code cols} weights (the last one may be shorter). */
    public int groups(int cols) {
        return int4() ? (cols + groupSize - 1) / groupSize : 0;
    }

    /** "int8" or "int4-g32": for names, reports and the manifest. */
    public String label() {
        return int4() ? "int4-g" + groupSize : "int8";
    }
}
