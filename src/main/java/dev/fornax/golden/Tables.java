package dev.fornax.golden;

import dev.fornax.ir.Activation;

/**
 * Constants and lookup tables of the numerics (docs/NUMERICS.md), derived in the compiler with
 * floating point; inference uses only the integers produced here. Every table is a pure function
 * of its arguments so the golden model and the RTL generator build identical copies.
 */
public final class Tables {
    private Tables() {}

    /** A positive real scale as M·2^-k with M in [2^15, 2^16) (M = 0 for a zero scale). */
    public record Scale(int m, int k) {
        public static Scale of(double s) {
            if (!(s > 0) || Double.isInfinite(s)) {
                if (s == 0) {
                    return new Scale(0, 0);
                }
                throw new IllegalArgumentException("scale must be finite and >= 0: " + s);
            }
            int k = 15 - Math.getExponent(s);
            long m = Math.round(Math.scalb(s, k));
            if (m == 1L << 16) {
                m = 1L << 15;
                k -= 1;
            }
            return new Scale((int) m, k);
        }

        public double value() {
            return Math.scalb((double) m, -k);
        }
    }

    /** RSQRT[i] = round(2^15 / sqrt((64+i)/64)), i = 0..192: 1/sqrt(x) on x in [1, 4]. */
    public static int[] rsqrt() {
        int[] t = new int[LookupTable.RSQRT.entries()];
        for (int i = 0; i < t.length; i++) {
            t[i] = (int) Math.round(32768.0 / Math.sqrt((64 + i) / 64.0));
        }
        return t;
    }

    /** EXP2[i] = round(2^15 · 2^(−i/256)), i = 0..256. */
    public static int[] exp2() {
        int[] t = new int[LookupTable.EXP2.entries()];
        for (int i = 0; i < t.length; i++) {
            t[i] = (int) Math.round(32768.0 * Math.pow(2, -i / 256.0));
        }
        return t;
    }

    /** RECIP[i] = round(2^31 / (2^15 + 128·i)), i = 0..256: 2^31/u for u in [2^15, 2^16]. */
    public static int[] recip() {
        int[] t = new int[LookupTable.RECIP.entries()];
        for (int i = 0; i < t.length; i++) {
            t[i] = (int) Math.round(2147483648.0 / (32768.0 + 128.0 * i));
        }
        return t;
    }

    /**
     * Gate table GATE[i] = round(2^15 · f(−16 + i/32)), i = 0..1024, where act(x) = x·f(x):
     * SiLU f = sigmoid; GELU-tanh f = sigmoid(2·sqrt(2/π)·(x + 0.044715x³)) (= ½(1 + tanh(...))).
     */
    public static int[] gate(Activation act) {
        int[] t = new int[LookupTable.GATE.entries()];
        for (int i = 0; i < t.length; i++) {
            double x = -16 + i / 32.0;
            double f = switch (act) {
                case SILU -> sigmoid(x);
                case GELU_TANH -> sigmoid(2 * Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x));
            };
            t[i] = (int) Math.round(32768.0 * f);
        }
        return t;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * EPS[s] = round(D·eps·2^(32−2s)) for the RMSNorm input shift s = 0..17 (s = 17 only for a
     * residual holding −2^31, whose magnitude needs 32 bits).
     */
    public static long[] eps(int d, double eps) {
        long[] t = new long[LookupTable.EPS.entries()];
        for (int s = 0; s < t.length; s++) {
            t[s] = Math.round(d * eps * Math.scalb(1.0, 32 - 2 * s));
        }
        return t;
    }

    /** Quantised RMSNorm gain: G[i] = round(g_i·sqrt(D)·2^gk) in int16, gk chosen for 15 bits. */
    public record Gain(short[] g, int gk) {
        public static Gain of(float[] gains, boolean onePlus, int d) {
            double sq = Math.sqrt(d);
            double mx = 0;
            double[] eff = new double[gains.length];
            for (int i = 0; i < gains.length; i++) {
                // gemma: (1 + w) is computed in float32 by HF; reproduce that rounding.
                eff[i] = (onePlus ? (double) (1.0f + gains[i]) : gains[i]) * sq;
                mx = Math.max(mx, Math.abs(eff[i]));
            }
            int gk = mx == 0 ? 0 : 14 - Math.getExponent(mx);
            short[] g = new short[gains.length];
            for (int i = 0; i < gains.length; i++) {
                g[i] = (short) IntOps.clampSym(Math.round(Math.scalb(eff[i], gk)), 15);
            }
            return new Gain(g, gk);
        }
    }

    /**
     * RoPE tables Q14: COS[pos·half + i] = round(cos(pos·invFreq[i])·2^14), same for SIN, for
     * pos = 0..context−1. The angle uses the float32 inverse frequencies HF uses.
     */
    public record RopeTables(short[] cos, short[] sin, int half) {
        public static RopeTables of(float[] invFreq, int context) {
            int half = invFreq.length;
            short[] c = new short[context * half];
            short[] s = new short[context * half];
            for (int p = 0; p < context; p++) {
                for (int i = 0; i < half; i++) {
                    double angle = (double) p * invFreq[i];
                    c[p * half + i] = (short) Math.round(Math.cos(angle) * 16384);
                    s[p * half + i] = (short) Math.round(Math.sin(angle) * 16384);
                }
            }
            return new RopeTables(c, s, half);
        }
    }

    /** The attention score scale log2(e)/sqrt(hd), so scores come out in log2 units for EXP2. */
    public static Scale scoreScale(int headDim) {
        return Scale.of(1.4426950408889634 / Math.sqrt(headDim));
    }
}
