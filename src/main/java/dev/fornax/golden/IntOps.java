package dev.fornax.golden;

/**
 * Every integer kernel of the Fornax numerics (docs/NUMERICS.md, version {@link #NUMERICS_VERSION}).
 * This class is the executable specification the RTL is compared against bit for bit: integer
 * arithmetic only, no floating point. Tables (RSQRT, EXP2, RECIP, gate LUTs, RoPE) are built by
 * {@link Tables} in the compiler.
 *
 * <p>Conventions: {@code long} holds every intermediate (hardware: ≤ 48-bit accumulators, proven
 * by {@code AccumulatorBounds}). A BFP vector is int mantissas {@code m[i]} plus one exponent
 * {@code e}: value = m[i]·2^e. The residual stream and matmul outputs are int32 "Q16": value = x/2^16.
 */
public final class IntOps {
    private IntOps() {}

    public static final int NUMERICS_VERSION = 1;
    /** Fraction bits of the residual stream, matmul outputs, attention scores (log2 units) and logits. */
    public static final int Q = 16;
    /** Mantissa magnitude bits of matmul inputs (RMSNorm, attention, MLP outputs). */
    public static final int MANT_BITS = 15;
    /** Mantissa bits of per-head q/k/v vectors: one bit of headroom so RoPE stays in int16. */
    public static final int HEAD_MANT_BITS = 14;
    /** Requantisation keeps this many magnitude bits of the accumulator before the DSP multiply. */
    public static final int REQUANT_BITS = 23;

    // ---------------------------------------------------------------- elementary operations

    /** Number of magnitude bits of x in two's complement: 0 for 0 and -1, 1 for 1 and -2, ... */
    public static int bitlen(long x) {
        return 64 - Long.numberOfLeadingZeros(x >= 0 ? x : ~x);
    }

    /**
     * Arithmetic shift right by n with rounding half up: floor((x + 2^(n-1)) / 2^n). n ≤ 0 shifts
     * left (callers guarantee no overflow); n ≥ 63 gives 0 (|x| < 2^62 always holds here).
     */
    public static long rshr(long x, int n) {
        if (n <= 0) {
            return x << -n;
        }
        if (n >= 63) {
            return 0;
        }
        return (x + (1L << (n - 1))) >> n;
    }

    public static int sat32(long x) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, x));
    }

    /** Clamps to the symmetric range ±(2^bits − 1). */
    public static int clampSym(long x, int bits) {
        long lim = (1L << bits) - 1;
        return (int) Math.max(-lim, Math.min(lim, x));
    }

    /** Linear interpolation in a table: t[i] + floor((t[i+1] − t[i])·frac / 2^fracBits). */
    public static int lerp(int[] t, int i, int frac, int fracBits) {
        return t[i] + (int) (((long) (t[i + 1] - t[i]) * frac) >> fracBits);
    }

    /**
     * The requantiser, one per datapath: value acc·M·2^-sh, rounded, saturated to int32. The
     * accumulator is first rounded to {@link #REQUANT_BITS} magnitude bits (a leading-zero count
     * and a shift) so that the multiply by M (< 2^17) fits one 25×18 DSP.
     */
    public static int requant(long acc, int m, int sh) {
        int t = Math.max(0, bitlen(acc) - REQUANT_BITS);
        long a = rshr(acc, t);
        long p = a * m;
        int n = sh - t;
        if (n < 0) {
            // Left shift: saturate whenever |p|·2^-n would need more than 31 magnitude bits,
            // before the shift itself can overflow 64 bits (|p| < 2^41, -n unbounded).
            if (p == 0) {
                return 0;
            }
            if (bitlen(p) - n > 31) {
                return p > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            }
            return (int) (p << -n);
        }
        return sat32(rshr(p, n));
    }

    // ---------------------------------------------------------------- vectors

    /** Block floating point of int32 values with exponent eIn: returns the shift s; out gets mantissas. */
    public static int toBfp(long[] v, int n, int bits, int[] out) {
        long mx = 0;
        for (int i = 0; i < n; i++) {
            mx = Math.max(mx, Math.abs(v[i]));
        }
        int s = Math.max(0, bitlen(mx) - bits);
        for (int i = 0; i < n; i++) {
            out[i] = clampSym(rshr(v[i], s), bits);
        }
        return s;
    }

    /** As {@link #toBfp(long[], int, int, int[])} for int inputs starting at offset off. */
    public static int toBfp(int[] v, int off, int n, int bits, int[] out, int outOff) {
        long mx = 0;
        for (int i = 0; i < n; i++) {
            mx = Math.max(mx, Math.abs((long) v[off + i]));
        }
        int s = Math.max(0, bitlen(mx) - bits);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = clampSym(rshr(v[off + i], s), bits);
        }
        return s;
    }

    /**
     * One output row of a matrix-vector product: Σ w[c]·x[c] over int8 weights (row at wOff) and
     * BFP16 mantissas x with exponent e, requantised to Q16 with the row's (m, k) and an optional
     * Q16 bias. Value: Σ·M·2^-k·2^e.
     */
    public static int matvecRow(byte[] w, int wOff, int[] x, int cols, int e, int m, int k, int bias) {
        long acc = 0;
        for (int c = 0; c < cols; c++) {
            acc += w[wOff + c] * (long) x[c];
        }
        return sat32((long) requant(acc, m, k - e - Q) + bias);
    }

    /** Embedding lookup: int8 row → Q16 with the row's input scale (m, k). */
    public static void embed(byte[] w, int wOff, int cols, int m, int k, int[] out) {
        for (int c = 0; c < cols; c++) {
            out[c] = requant(w[wOff + c], m, k - Q);
        }
    }

    /**
     * RMSNorm of the Q16 residual h into BFP16 (mantissas to out, returns the exponent).
     *
     * @param g      per-channel gain (w, or 1+w for gemma) × sqrt(D), as int16 with scale 2^-gk
     * @param epsTab epsTab[s] = round(D·eps·2^(32−2s)) for the input shift s = 0..17
     */
    public static int rmsnorm(int[] h, int d, short[] g, int gk, long[] epsTab, int[] rsqrt, int[] out) {
        int[] m = new int[d];
        int s = toBfp(h, 0, d, MANT_BITS, m, 0);
        long ss = 0;
        for (int i = 0; i < d; i++) {
            ss += (long) m[i] * m[i];
        }
        long v = ss + epsTab[s];
        long[] p = new long[d];
        if (v == 0) {
            java.util.Arrays.fill(out, 0, d, 0);
            return 0;
        }
        int b = bitlen(v);
        int j = Math.floorDiv(b - 31, 2);
        long u = j >= 0 ? v >> (2 * j) : v << (-2 * j);
        int idx = (int) (u >> 24) - 64;
        int frac = (int) ((u >> 8) & 0xFFFF);
        int r = lerp(rsqrt, idx, frac, 16);
        for (int i = 0; i < d; i++) {
            long t = rshr((long) m[i] * r, 15);
            p[i] = t * g[i];
        }
        int s2 = toBfp(p, d, MANT_BITS, out);
        return s2 - 15 - j - gk;
    }

    /**
     * qwen3's q_norm / k_norm on one head: {@link #rmsnorm} of the Q16 slice v[off .. off+n) (n = hd,
     * its own EPS table of hd·eps, gain ×√hd) into BFP16, then that head requantised to BFP14
     * mantissas at out[outOff ..] as {@link #headBfp} gives for RoPE. Returns the BFP14 exponent.
     */
    public static int headRmsnorm(int[] v, int off, int n, short[] g, int gk, long[] epsTab, int[] rsqrt, int[] out,
            int outOff) {
        int[] slice = java.util.Arrays.copyOfRange(v, off, off + n);
        int[] m = new int[n];
        int e = rmsnorm(slice, n, g, gk, epsTab, rsqrt, m);
        return e + toBfp(m, 0, n, HEAD_MANT_BITS, out, outOff);
    }

    /**
     * Per-head BFP14 of a Q16 vector slice v[off .. off+n): returns the exponent (value = m·2^e).
     */
    public static int headBfp(int[] v, int off, int n, int[] out, int outOff) {
        int s = toBfp(v, off, n, HEAD_MANT_BITS, out, outOff);
        return s - Q;
    }

    /**
     * Rotate-half RoPE on one head of BFP14 mantissas, in place: pairs (i, i + hd/2), Q14 cos/sin
     * of this position. Results fit int16 because |(a, b)| ≤ 2^14·√2.
     */
    public static void rope(int[] x, int off, int hd, short[] cos, short[] sin, int tabOff) {
        int half = hd / 2;
        for (int i = 0; i < half; i++) {
            long a = x[off + i];
            long b = x[off + i + half];
            long c = cos[tabOff + i];
            long s = sin[tabOff + i];
            x[off + i] = (int) rshr(a * c - b * s, 14);
            x[off + i + half] = (int) rshr(b * c + a * s, 14);
        }
    }

    /** 2^(−d/2^16)·2^15 for a non-negative Q16 distance d, from the 257-entry EXP2 table. */
    public static int exp2neg(long d, int[] exp2) {
        long ip = d >> Q;
        if (ip >= 31) {
            return 0;
        }
        int fp = (int) (d & 0xFFFF);
        int x = lerp(exp2, fp >> 8, fp & 0xFF, 8);
        return (int) rshr(x, (int) ip);
    }

    /** Reciprocal of s ≥ 2^15: returns {rc, j} with 1/s ≈ rc·2^(−31−j), rc in [2^15, 2^16]. */
    public static int[] recip(long s, int[] recipTab) {
        int j = bitlen(s) - 16;
        long u = s >> j;
        int rc = lerp(recipTab, (int) (u >> 7) - 256, (int) (u & 0x7F), 7);
        return new int[] {rc, j};
    }

    /**
     * Causal attention of one query head over positions 0..t of its kv head.
     *
     * @param q      rotated query mantissas (BFP14) at qOff, exponent eq
     * @param k      key cache mantissas [pos][hd] for this kv head; ek[pos] exponents
     * @param v      value cache mantissas [pos][hd]; ev[pos] exponents
     * @param mc     scale (mc, kc) ≈ log2(e)/sqrt(hd): scores become Q16 log2 units
     * @param out    Q16 output [hd] at outOff
     */
    public static void attention(int[] q, int qOff, int eq, int[][] k, int[] ek, int[][] v, int[] ev, int t,
            int hd, int mc, int kc, int[] exp2, int[] recipTab, int[] out, int outOff) {
        int n = t + 1;
        long[] z = new long[n];
        long zmax = Long.MIN_VALUE;
        int evmax = Integer.MIN_VALUE;
        for (int p = 0; p < n; p++) {
            long dot = 0;
            int[] kp = k[p];
            for (int i = 0; i < hd; i++) {
                dot += (long) q[qOff + i] * kp[i];
            }
            z[p] = requant(dot, mc, kc - (eq + ek[p]) - Q);
            zmax = Math.max(zmax, z[p]);
            evmax = Math.max(evmax, ev[p]);
        }
        long sum = 0;
        long[] acc = new long[hd];
        for (int p = 0; p < n; p++) {
            int ex = exp2neg(zmax - z[p], exp2);
            sum += ex;
            long w = rshr(ex, evmax - ev[p]);
            if (w != 0) {
                int[] vp = v[p];
                for (int i = 0; i < hd; i++) {
                    acc[i] += w * vp[i];
                }
            }
        }
        int[] rj = recip(sum, recipTab);
        for (int i = 0; i < hd; i++) {
            out[outOff + i] = requant(acc[i], rj[0], 31 + rj[1] - evmax - Q);
        }
    }

    /** The gated-MLP activation on a Q16 value: g·f(g) with f from the 1025-entry gate table. */
    public static int activate(int g, int[] gateTab) {
        final long lo = -16L << Q;
        if (g >= (16L << Q)) {
            return g;
        }
        if (g < lo) {
            return 0;
        }
        long x = g - lo;
        int f = lerp(gateTab, (int) (x >> 11), (int) (x & 0x7FF), 11);
        return (int) rshr(rshr(g, 4) * f, 11);
    }

    /**
     * GLU: act(gate)·up into BFP16 mantissas out; returns the exponent. Both factors are first
     * brought to BFP16 so the product is one 16×16 multiply.
     */
    public static int glu(int[] gate, int[] up, int n, int[] gateTab, int[] out) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = activate(gate[i], gateTab);
        }
        int[] am = new int[n];
        int[] um = new int[n];
        int ea = toBfp(a, 0, n, MANT_BITS, am, 0) - Q;
        int eu = toBfp(up, 0, n, MANT_BITS, um, 0) - Q;
        long[] prod = new long[n];
        for (int i = 0; i < n; i++) {
            prod[i] = (long) am[i] * um[i];
        }
        return toBfp(prod, n, MANT_BITS, out) + ea + eu;
    }

    /** Saturating residual add, in place. */
    public static void residualAdd(int[] h, int[] x, int n) {
        for (int i = 0; i < n; i++) {
            h[i] = sat32((long) h[i] + x[i]);
        }
    }

    /** Index of the largest value; ties go to the lowest index. */
    public static int argmax(int[] x, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
