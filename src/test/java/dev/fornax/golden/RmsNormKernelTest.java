package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link IntOps#rmsnorm} against the float RMSNorm of the same (dequantised Q16) input.
 * NUMERICS.md bound: |y_int − y| ≤ S·(2^−12 + 1/max|m|) for every element, where
 * S = max|x|·max|g|/√(mean x² + eps) and max|m| is the largest BFP15 input mantissa.
 */
class RmsNormKernelTest {
    private static final int[] RSQRT = Tables.rsqrt();

    /** Checks the bound; returns the worst error as a fraction of the bound. */
    static double checkBound(int[] h, float[] gains, boolean onePlus, double eps) {
        int d = h.length;
        Tables.Gain g = Tables.Gain.of(gains, onePlus, d);
        int[] out = new int[d];
        int e = IntOps.rmsnorm(h, d, g.g(), g.gk(), Tables.eps(d, eps), RSQRT, out);
        double[] x = new double[d];
        double[] gd = new double[d];
        double xMax = 0;
        double gMax = 0;
        for (int i = 0; i < d; i++) {
            x[i] = h[i] / 65536.0;
            gd[i] = onePlus ? (double) (1.0f + gains[i]) : gains[i];
            xMax = Math.max(xMax, Math.abs(x[i]));
            gMax = Math.max(gMax, Math.abs(gd[i]));
        }
        double[] y = FloatKernels.rmsnorm(x, gd, eps);
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double s = xMax * gMax / Math.sqrt(ss / d + eps);
        int[] m = new int[d];
        IntOps.toBfp(h, 0, d, IntOps.MANT_BITS, m, 0);
        int mMax = Arrays.stream(m).map(Math::abs).max().orElse(0);
        double bound = s * (Math.scalb(1.0, -12) + (mMax == 0 ? 0 : 1.0 / mMax));
        double worst = 0;
        for (int i = 0; i < d; i++) {
            double err = Math.abs(Math.scalb((double) out[i], e) - y[i]);
            assertThat(err).as("element %d of %d (S = %g, max|m| = %d)", i, d, s, mMax).isLessThanOrEqualTo(bound);
            worst = Math.max(worst, bound == 0 ? 0 : err / bound);
        }
        return worst;
    }

    @Test
    void staysWithinTheBoundFromTinyToHugeInputsWithOutliersAndGemmaGains() {
        Random rnd = new Random(5);
        double worst = 0;
        for (int d : new int[] {8, 64, 896, 2048}) {
            for (double sigma : new double[] {1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000}) {
                for (int trial = 0; trial < 12; trial++) {
                    boolean outliers = trial % 3 == 0;
                    boolean onePlus = trial % 4 == 1;
                    int[] h = new int[d];
                    float[] g = new float[d];
                    for (int i = 0; i < d; i++) {
                        double v = rnd.nextGaussian() * sigma * (outliers && i % 97 == 3 ? 50 + 50 * rnd.nextDouble() : 1);
                        h[i] = IntOps.sat32(Math.round(v * 65536));
                        g[i] = (float) (onePlus ? 0.2 * rnd.nextGaussian() : 1 + 0.4 * rnd.nextGaussian());
                    }
                    worst = Math.max(worst, checkBound(h, g, onePlus, trial % 2 == 0 ? 1e-5 : 1e-6));
                }
            }
        }
        System.out.printf("rmsnorm: worst error %.2f of the bound%n", worst);
    }

    @Test
    void allZeroInputGivesZeroOutput() {
        int d = 16;
        float[] g = new float[d];
        Arrays.fill(g, 1.5f);
        Tables.Gain gain = Tables.Gain.of(g, false, d);
        int[] out = new int[d];
        Arrays.fill(out, 7);
        IntOps.rmsnorm(new int[d], d, gain.g(), gain.gk(), Tables.eps(d, 1e-6), RSQRT, out);
        assertThat(out).containsOnly(0);
    }

    @Test
    void negativeExtremesAreSymmetricToPositiveOnes() {
        int d = 32;
        int[] pos = new int[d];
        int[] neg = new int[d];
        for (int i = 0; i < d; i++) {
            pos[i] = Integer.MAX_VALUE - i * 1_000_000;
            neg[i] = -pos[i];
        }
        float[] g = new float[d];
        Arrays.fill(g, 1f);
        Tables.Gain gain = Tables.Gain.of(g, false, d);
        int[] a = new int[d];
        int[] b = new int[d];
        int ea = IntOps.rmsnorm(pos, d, gain.g(), gain.gk(), Tables.eps(d, 1e-5), RSQRT, a);
        int eb = IntOps.rmsnorm(neg, d, gain.g(), gain.gk(), Tables.eps(d, 1e-5), RSQRT, b);
        assertThat(eb).isEqualTo(ea);
        for (int i = 0; i < d; i++) {
            // rshr rounds ties upward, so a negated input may differ by one mantissa LSB.
            assertThat(b[i]).isCloseTo(-a[i], Offset.offset(1));
        }
        checkBound(pos, g, false, 1e-5);
        checkBound(neg, g, false, 1e-5);
    }

    @Test
    void saturatedNegativeResidualUsesTheLastEpsEntry() {
        // −2^31 is a legal (saturated) Q16 residual; its magnitude needs 32 bits, so s = 17.
        int d = 8;
        int[] h = new int[d];
        h[0] = Integer.MIN_VALUE;
        h[1] = 1 << 20;
        float[] ones = new float[d];
        Arrays.fill(ones, 1f);
        checkBound(h, ones, false, 1e-5);
    }

    @Test
    void epsDominatesAVectorOfOneLsbValues() {
        // x = 2^-16 everywhere, mean x² = 2^-32 ≪ eps = 1e-5: y ≈ x/√eps·g, far below 1.
        int d = 64;
        int[] h = new int[d];
        Arrays.fill(h, 1);
        float[] g = new float[d];
        Arrays.fill(g, 1f);
        checkBound(h, g, false, 1e-5);
    }

    @Test
    void largestHiddenSizeOfTheAccumulatorBound() {
        // D = 131072 mantissas of 2^15 − 1: Σ m² = 2^17·(2^15 − 1)² < 2^47.
        int d = 131_072;
        int[] h = new int[d];
        float[] g = new float[d];
        for (int i = 0; i < d; i++) {
            h[i] = i % 2 == 0 ? 32767 : -32767;
            g[i] = 1f;
        }
        checkBound(h, g, false, 1e-6);
    }
}
