package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link IntOps#rmsnorm} against the float RMSNorm of the same (dequantised) input. */
class RmsNormKernelTest {
    private static final int[] RSQRT = Tables.rsqrt();

    @Test
    void saturatedNegativeResidualUsesTheLastEpsEntry() {
        // −2^31 is a legal (saturated) Q16 residual; its magnitude needs 32 bits, so s = 17.
        int d = 8;
        int[] h = new int[d];
        h[0] = Integer.MIN_VALUE;
        h[1] = 1 << 20;
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        Tables.Gain g = Tables.Gain.of(ones, false, d);
        int[] out = new int[d];
        int e = IntOps.rmsnorm(h, d, g.g(), g.gk(), Tables.eps(d, 1e-5), RSQRT, out);
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = h[i] / 65536.0;
        }
        double[] ref = FloatKernels.rmsnorm(x, new double[] {1, 1, 1, 1, 1, 1, 1, 1}, 1e-5);
        for (int i = 0; i < d; i++) {
            assertThat(Math.scalb((double) out[i], e)).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-3));
        }
    }
}
