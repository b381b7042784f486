package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IntOps#matvecRow} and {@link IntOps#embed} against the exact product of the same
 * integers. NUMERICS.md bound: |y − (Σ w·m)·M·2^(e−k)·2^16 − bias| ≤ 0.5 + 2^−23·|exact| Q16 LSB
 * (the requantiser; the integer sum itself is exact), saturating at int32.
 */
class MatVecKernelTest {

    static double exactQ16(byte[] w, int[] x, int e, int m, int k) {
        long acc = 0;
        for (int c = 0; c < x.length; c++) {
            acc += w[c] * (long) x[c];
        }
        return Math.scalb((double) acc * m, e - k + 16);
    }

    @Test
    void rowsAreWithinHalfAnLsbPlusTwoToMinus23Relative() {
        Random rnd = new Random(41);
        for (int trial = 0; trial < 3000; trial++) {
            int cols = 1 + rnd.nextInt(trial % 10 == 0 ? 5000 : 300);
            byte[] w = new byte[cols];
            int[] x = new int[cols];
            for (int c = 0; c < cols; c++) {
                w[c] = (byte) (rnd.nextInt(255) - 127);
                x[c] = rnd.nextInt(65535) - 32767;
            }
            Tables.Scale s = Tables.Scale.of(Math.exp(rnd.nextGaussian() * 3) * 1e-3);
            int e = -15 - rnd.nextInt(10);
            int bias = trial % 2 == 0 ? 0 : rnd.nextInt(1 << 20) - (1 << 19);
            int y = IntOps.matvecRow(w, 0, x, cols, e, s.m(), s.k(), bias);
            double exact = exactQ16(w, x, e, s.m(), s.k());
            if (Math.abs(exact + bias) >= Integer.MAX_VALUE) {
                continue;
            }
            assertThat(Math.abs(y - exact - bias)).as("trial %d", trial)
                    .isLessThanOrEqualTo(0.5 + Math.scalb(Math.abs(exact), -23) + 1e-9);
        }
    }

    @Test
    void extremeWeightsAndMantissasSaturateInsteadOfWrapping() {
        int cols = 4096;
        byte[] w = new byte[cols];
        int[] x = new int[cols];
        java.util.Arrays.fill(w, (byte) -127);
        java.util.Arrays.fill(x, 32767);
        Tables.Scale s = Tables.Scale.of(1.0);
        assertThat(IntOps.matvecRow(w, 0, x, cols, 0, s.m(), s.k(), 0)).isEqualTo(Integer.MIN_VALUE);
        java.util.Arrays.fill(x, -32767);
        assertThat(IntOps.matvecRow(w, 0, x, cols, 0, s.m(), s.k(), 0)).isEqualTo(Integer.MAX_VALUE);
        // A bias pushes a large result over the edge: saturates too.
        assertThat(IntOps.matvecRow(new byte[] {1}, 0, new int[] {1}, 1, 14, s.m(), s.k(), Integer.MAX_VALUE))
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void allZeroInputGivesTheBias() {
        byte[] w = {127, -127, 5};
        Tables.Scale s = Tables.Scale.of(0.37);
        assertThat(IntOps.matvecRow(w, 0, new int[3], 3, -15, s.m(), s.k(), -1234)).isEqualTo(-1234);
    }

    @Test
    void embeddingRowIsTheDequantisedInt8WithinHalfAnLsb() {
        Random rnd = new Random(43);
        for (int trial = 0; trial < 200; trial++) {
            double scale = Math.exp(rnd.nextGaussian() * 2) * 0.01;
            Tables.Scale s = Tables.Scale.of(scale);
            byte[] w = new byte[64];
            rnd.nextBytes(w);
            int[] out = new int[64];
            IntOps.embed(w, 0, 64, s.m(), s.k(), out);
            for (int c = 0; c < 64; c++) {
                double exact = Math.scalb((double) w[c] * s.m(), 16 - s.k());
                assertThat(Math.abs(out[c] - exact)).isLessThanOrEqualTo(0.5);
            }
        }
    }

    @Test
    void scaleIsWithinTwoToMinus16Relative() {
        Random rnd = new Random(44);
        for (int i = 0; i < 100_000; i++) {
            double v = Math.exp(rnd.nextGaussian() * 10);
            Tables.Scale s = Tables.Scale.of(v);
            assertThat(s.m()).isBetween(1 << 15, (1 << 16) - 1);
            assertThat(Math.abs(s.value() / v - 1)).isLessThanOrEqualTo(Math.scalb(1.0, -16));
        }
        assertThat(Tables.Scale.of(0)).isEqualTo(new Tables.Scale(0, 0));
    }
}
