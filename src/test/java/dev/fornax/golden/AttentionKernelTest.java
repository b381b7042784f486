package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IntOps#attention} against softmax(q·k/√hd)·V of the same (dequantised) BFP14 inputs.
 * NUMERICS.md bound: |out − exact| ≤ 2^−13·max|V| + 2^−16 (Q16 output rounding) for contexts up
 * to 4096 with any mix of per-position value exponents; analytically the weight roundings grow
 * as n·2^−16·max|V| in the worst case, which random data never approaches.
 */
class AttentionKernelTest {
    private static final int[] EXP2 = Tables.exp2();
    private static final int[] RECIP = Tables.recip();

    /** A head's Q16 values → BFP14 mantissas (what the engine feeds attention); returns the exponent. */
    static int head(double[] x, int[] out) {
        int[] q16 = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            q16[i] = IntOps.sat32(Math.round(x[i] * 65536));
        }
        return IntOps.headBfp(q16, 0, x.length, out, 0);
    }

    /** Runs one random case; returns the error as a fraction of the bound. */
    static double check(Random rnd, int n, int hd, double qScale, double kScale, double vSpread) {
        Tables.Scale sc = Tables.scoreScale(hd);
        int[] q = new int[hd];
        int eq = head(gauss(rnd, hd, qScale), q);
        int[][] k = new int[n][hd];
        int[][] v = new int[n][hd];
        int[] ek = new int[n];
        int[] ev = new int[n];
        double[][] kd = new double[n][hd];
        double[][] vd = new double[n][hd];
        double vMax = 0;
        for (int p = 0; p < n; p++) {
            ek[p] = head(gauss(rnd, hd, kScale), k[p]);
            ev[p] = head(gauss(rnd, hd, Math.exp(rnd.nextGaussian() * vSpread)), v[p]);
            for (int i = 0; i < hd; i++) {
                kd[p][i] = Math.scalb((double) k[p][i], ek[p]);
                vd[p][i] = Math.scalb((double) v[p][i], ev[p]);
                vMax = Math.max(vMax, Math.abs(vd[p][i]));
            }
        }
        double[] qd = new double[hd];
        for (int i = 0; i < hd; i++) {
            qd[i] = Math.scalb((double) q[i], eq);
        }
        int[] out = new int[hd];
        IntOps.attention(q, 0, eq, k, ek, v, ev, n - 1, hd, sc.m(), sc.k(), EXP2, RECIP, out, 0);
        double[] ref = FloatKernels.attention(qd, kd, vd);
        double bound = Math.scalb(vMax, -13) + Math.scalb(1.0, -16);
        double worst = 0;
        for (int i = 0; i < hd; i++) {
            double err = Math.abs(out[i] / 65536.0 - ref[i]);
            assertThat(err).as("n=%d element %d", n, i).isLessThanOrEqualTo(bound);
            worst = Math.max(worst, err / bound);
        }
        return worst;
    }

    static double[] gauss(Random r, int n, double s) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian() * s;
        }
        return x;
    }

    @Test
    void randomHeadsStayWithinTheBound() {
        Random rnd = new Random(21);
        double worst = 0;
        for (int n : new int[] {1, 2, 3, 8, 64, 512, 4096}) {
            for (double qs : new double[] {0.05, 1, 4}) {
                for (double spread : new double[] {0, 1, 3}) {
                    int trials = n >= 512 ? 2 : 10;
                    for (int t = 0; t < trials; t++) {
                        worst = Math.max(worst, check(rnd, n, t % 2 == 0 ? 64 : 32, qs, qs, spread));
                    }
                }
            }
        }
        System.out.printf("attention: worst error %.3f of the bound%n", worst);
    }

    @Test
    void onePositionReturnsItsValueVector() {
        int hd = 8;
        int[] q = {100, -200, 300, 0, 5, 6, 7, 8};
        int[][] k = {{1, 2, 3, 4, 5, 6, 7, 8}};
        int[][] v = {{16383, -16383, 0, 1, -1, 2, 100, -100}};
        int[] out = new int[hd];
        Tables.Scale sc = Tables.scoreScale(hd);
        // Value exponent −16: the mantissas are Q16 already, so the output must equal them.
        IntOps.attention(q, 0, -10, k, new int[] {-12}, v, new int[] {-16}, 0, hd, sc.m(), sc.k(), EXP2, RECIP, out, 0);
        assertThat(out).containsExactly(v[0]);
    }

    @Test
    void equalScoresAverageTheValues() {
        int hd = 4;
        int n = 4;
        int[] q = {0, 0, 0, 0};
        int[][] k = new int[n][hd];
        int[][] v = {{4000, 0, -4000, 8}, {0, 4000, 0, 8}, {0, 0, 4000, 8}, {4000, 4000, 4000, 8}};
        int[] e = {-16, -16, -16, -16};
        int[] out = new int[hd];
        Tables.Scale sc = Tables.scoreScale(hd);
        IntOps.attention(q, 0, -16, k, e, v, e, n - 1, hd, sc.m(), sc.k(), EXP2, RECIP, out, 0);
        assertThat(out).containsExactly(2000, 2000, 1000, 8);
    }

    @Test
    void scoresThirtyOneOrMoreLog2UnitsBelowTheMaximumContributeNothing() {
        assertThat(IntOps.exp2neg(0, EXP2)).isEqualTo(1 << 15);
        assertThat(IntOps.exp2neg(1L << 16, EXP2)).isEqualTo(1 << 14);
        assertThat(IntOps.exp2neg((30L << 16) + 65535, EXP2)).isZero(); // 2^15·2^-31 rounds to 0
        assertThat(IntOps.exp2neg(31L << 16, EXP2)).isZero();
        assertThat(IntOps.exp2neg(Long.MAX_VALUE >> 1, EXP2)).isZero();
        // A dominant key: the other position's weight vanishes, out = the dominant value.
        int hd = 2;
        int[] q = {16383, 0};
        int[][] k = {{16383, 0}, {-16383, 0}};
        int[][] v = {{1000, -1000}, {30000 / 2, 7}};
        int[] e = {-16, -16};
        int[] out = new int[hd];
        Tables.Scale sc = Tables.scoreScale(hd);
        IntOps.attention(q, 0, 0, k, new int[] {0, 0}, v, e, 1, hd, sc.m(), sc.k(), EXP2, RECIP, out, 0);
        assertThat(out).containsExactly(1000, -1000);
    }

    @Test
    void exp2AndReciprocalAreWithinOneAndAHalfLsbAndTwoToMinus14() {
        // EXP2: table rounding ≤ 0.5, the interpolation's floor < 1 (curvature error ≈ 0.03).
        for (long d = 0; d < (3L << 16); d += 37) {
            double exact = 32768 * Math.pow(2, -d / 65536.0);
            assertThat((double) IntOps.exp2neg(d, EXP2)).isCloseTo(exact, org.assertj.core.data.Offset.offset(1.5));
        }
        for (long s = 1 << 15; s < (1L << 40); s = s * 5 / 3 + 1) {
            int[] rj = IntOps.recip(s, RECIP);
            double approx = rj[0] * Math.pow(2, -31 - rj[1]);
            assertThat(Math.abs(approx * s - 1)).as("1/%d", s).isLessThan(Math.scalb(1.0, -14));
        }
    }

    @Test
    void theLargestContextOfTheAccumulatorBoundDoesNotOverflow() {
        // 262,144 positions with equal scores and extreme values: S = 2^18·2^15, Σ w·V = 2^33·(2^14 − 1).
        int n = 262_144;
        int hd = 2;
        int[] q = {0, 0};
        int[][] k = new int[n][hd];
        int[][] v = new int[n][];
        int[] e = new int[n];
        java.util.Arrays.fill(e, -16);
        int[] row = {16383, -16383};
        java.util.Arrays.fill(v, row);
        int[] out = new int[hd];
        Tables.Scale sc = Tables.scoreScale(hd);
        IntOps.attention(q, 0, 0, k, e, v, e, n - 1, hd, sc.m(), sc.k(), EXP2, RECIP, out, 0);
        assertThat(out).containsExactly(16383, -16383);
    }
}
