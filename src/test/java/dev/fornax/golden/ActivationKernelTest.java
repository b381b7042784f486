package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Activation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IntOps#activate} (SiLU, GELU-tanh) and {@link IntOps#glu} against their float definitions.
 * NUMERICS.md bounds: |act_int(x) − act(x)| ≤ 2^−12 + |x|·2^−15 (Q16 input and output);
 * |glu − act(g)·u| ≤ ε_act(g)·|u| + 2^−14·max|a|·max|u| (the two BFP15 conversions and the
 * product's rounding).
 */
class ActivationKernelTest {

    static double act(Activation a, double x) {
        return a == Activation.SILU ? FloatKernels.silu(x) : FloatKernels.geluTanh(x);
    }

    static double actBound(double x) {
        return Math.scalb(1.0, -12) + Math.abs(x) * Math.scalb(1.0, -15);
    }

    @Test
    void activationIsWithinTheBoundOverTheWholeInt32Range() {
        for (Activation a : Activation.values()) {
            int[] table = Tables.gate(a);
            double worst = 0;
            // Dense sweep of the table range, then coarse over the full range.
            for (long g = -(18L << 16); g <= (18L << 16); g += 3) {
                worst = Math.max(worst, check(a, table, (int) g));
            }
            for (long g = Integer.MIN_VALUE; g <= Integer.MAX_VALUE; g += 65_537) {
                check(a, table, (int) g);
            }
            check(a, table, Integer.MIN_VALUE);
            check(a, table, Integer.MAX_VALUE);
            System.out.printf("activate %s: worst error %.3f of the bound%n", a, worst);
        }
    }

    private static double check(Activation a, int[] table, int g) {
        double x = g / 65536.0;
        double err = Math.abs(IntOps.activate(g, table) / 65536.0 - act(a, x));
        assertThat(err).as("%s(%d/2^16)", a, g).isLessThanOrEqualTo(actBound(x));
        return err / actBound(x);
    }

    @Test
    void tableBoundariesAreContinuous() {
        for (Activation a : Activation.values()) {
            int[] t = Tables.gate(a);
            int lo = -(16 << 16);
            int hi = 16 << 16;
            assertThat(IntOps.activate(lo - 1, t)).isZero();
            assertThat(IntOps.activate(lo, t)).isBetween(-1, 0);
            assertThat(IntOps.activate(hi, t)).isEqualTo(hi);
            assertThat(Math.abs(IntOps.activate(hi - 1, t) - (hi - 1))).isLessThanOrEqualTo(2);
            assertThat(IntOps.activate(0, t)).isZero();
        }
    }

    @Test
    void gluIsWithinTheBound() {
        Random rnd = new Random(33);
        for (Activation a : Activation.values()) {
            int[] table = Tables.gate(a);
            double worst = 0;
            for (int trial = 0; trial < 300; trial++) {
                int n = 1 + rnd.nextInt(300);
                double gs = Math.exp(rnd.nextGaussian() * 2);
                double us = Math.exp(rnd.nextGaussian() * 2);
                int[] gate = new int[n];
                int[] up = new int[n];
                for (int i = 0; i < n; i++) {
                    double outlier = i == 0 && trial % 3 == 0 ? 80 : 1;
                    gate[i] = IntOps.sat32(Math.round(rnd.nextGaussian() * gs * outlier * 65536));
                    up[i] = IntOps.sat32(Math.round(rnd.nextGaussian() * us * outlier * 65536));
                }
                int[] out = new int[n];
                int e = IntOps.glu(gate, up, n, table, out);
                double aMax = 0;
                double uMax = 0;
                for (int i = 0; i < n; i++) {
                    aMax = Math.max(aMax, Math.abs(IntOps.activate(gate[i], table) / 65536.0));
                    uMax = Math.max(uMax, Math.abs(up[i] / 65536.0));
                }
                for (int i = 0; i < n; i++) {
                    double g = gate[i] / 65536.0;
                    double u = up[i] / 65536.0;
                    double bound = actBound(g) * Math.abs(u) + Math.scalb(aMax * uMax, -14);
                    double err = Math.abs(Math.scalb((double) out[i], e) - act(a, g) * u);
                    assertThat(err).as("%s trial %d element %d", a, trial, i).isLessThanOrEqualTo(bound);
                    worst = Math.max(worst, err / bound);
                }
            }
            System.out.printf("glu %s: worst error %.3f of the bound%n", a, worst);
        }
    }

    @Test
    void gluOfZerosIsZero() {
        int[] out = {5, 5, 5};
        IntOps.glu(new int[3], new int[] {100, -100, 7}, 3, Tables.gate(Activation.SILU), out);
        assertThat(out).containsOnly(0);
    }
}
