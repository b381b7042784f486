package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IntOps#rope} with {@link Tables.RopeTables} against the exact rotation of the same BFP14
 * mantissas. NUMERICS.md bound: |r − exact| ≤ 1.5 mantissa LSB (cos/sin rounded to Q14: ≤ 1; the
 * final rounding: 0.5), and |r| < 2^15 always.
 */
class RopeKernelTest {

    static double worstError(float[] invFreq, int context, int[] positions, Random rnd, int trials) {
        int half = invFreq.length;
        int hd = 2 * half;
        Tables.RopeTables t = Tables.RopeTables.of(invFreq, context);
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = invFreq[i];
        }
        double worst = 0;
        for (int pos : positions) {
            for (int trial = 0; trial < trials; trial++) {
                int[] x = new int[hd];
                double[] xd = new double[hd];
                for (int i = 0; i < hd; i++) {
                    // Mostly random, sometimes the extremes ±(2^14 − 1) (worst case for |r|).
                    x[i] = trial % 5 == 0 ? (rnd.nextBoolean() ? 16383 : -16383) : rnd.nextInt(32767) - 16383;
                    xd[i] = x[i];
                }
                IntOps.rope(x, 0, hd, t.cos(), t.sin(), pos * half);
                double[] y = FloatKernels.rope(xd, inv, pos);
                for (int i = 0; i < hd; i++) {
                    assertThat(Math.abs(x[i])).isLessThan(1 << 15);
                    double err = Math.abs(x[i] - y[i]);
                    assertThat(err).as("pos %d element %d", pos, i).isLessThanOrEqualTo(1.5);
                    worst = Math.max(worst, err);
                }
            }
        }
        return worst;
    }

    @Test
    void rotationIsWithinOneAndAHalfLsbAtEveryPositionUpToTheLargestContext() {
        Random rnd = new Random(9);
        int context = 32_768;
        float[] inv = new Rope(1e6, new RopeScaling.None()).inverseFrequencies(64);
        int[] positions = {0, 1, 2, 17, 255, 4095, 20_000, context - 1};
        double worst = worstError(inv, context, positions, rnd, 200);
        System.out.printf("rope: worst error %.3f LSB%n", worst);
    }

    @Test
    void llama3ScaledFrequenciesKeepTheSameBound() {
        Random rnd = new Random(10);
        float[] inv = new Rope(500_000, new RopeScaling.Llama3(32, 1, 4, 8192)).inverseFrequencies(64);
        worstError(inv, 8192, new int[] {0, 3, 1000, 8191}, rnd, 200);
    }

    @Test
    void positionZeroIsTheIdentity() {
        float[] inv = new Rope(10_000, new RopeScaling.None()).inverseFrequencies(16);
        Tables.RopeTables t = Tables.RopeTables.of(inv, 4);
        int[] x = {16383, -16383, 5, -5, 0, 1, -1, 12345, 7, 8, 9, 10, -11, -12, 13, 14};
        int[] y = x.clone();
        IntOps.rope(y, 0, 16, t.cos(), t.sin(), 0);
        assertThat(y).containsExactly(x);
    }

    @Test
    void tablesAreQ14CosSinOfTheDoubleAngle() {
        float[] inv = new Rope(10_000, new RopeScaling.None()).inverseFrequencies(8);
        Tables.RopeTables t = Tables.RopeTables.of(inv, 3000);
        assertThat(t.half()).isEqualTo(4);
        int pos = 2999;
        for (int i = 0; i < 4; i++) {
            double angle = (double) pos * inv[i];
            assertThat(t.cos()[pos * 4 + i]).isEqualTo((short) Math.round(Math.cos(angle) * 16384));
            assertThat(t.sin()[pos * 4 + i]).isEqualTo((short) Math.round(Math.sin(angle) * 16384));
        }
    }
}
