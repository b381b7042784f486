package dev.fornax.ir;

/**
 * {@code powf} exactly as torch 1.13's vectorised CPU kernel computes it on AVX2:
 * SLEEF 3.5.1 {@code Sleef_powf8_u10} (the AVX2 helper, with fused multiply-adds), transcribed
 * operation by operation so every intermediate rounds where SLEEF's does. It is accurate to 1 ulp,
 * not correctly rounded, so {@code (float) Math.pow} differs from it in the last bit for a few
 * inputs; RoPE's inverse frequencies are {@code 1 / theta^(2i/d)} computed with it, so matching HF
 * bit for bit needs it. Only finite {@code x > 0} and finite {@code y} are handled (all RoPE needs).
 */
final class SleefPowf {
    private SleefPowf() {}

    private static final float L2U = 0.693145751953125f;
    private static final float L2L = 1.428606765330187045e-06f;
    private static final float R_LN2 = 1.442695040888963407359924681001892137426645954152985934135449406931f;

    /** A double-float: the unevaluated sum hi + lo. */
    private record F2(float x, float y) {}

    static float pow(float x, float y) {
        if (!(x > 0) || Float.isInfinite(x) || !Float.isFinite(y)) {
            throw new IllegalArgumentException("SleefPowf handles finite x > 0 and finite y only: " + x + ", " + y);
        }
        if (y == 0 || x == 1) {
            return 1f;
        }
        float result = expk(mul(logk(x), y));
        return Float.isNaN(result) ? Float.POSITIVE_INFINITY : result;
    }

    private static F2 logk(float d) {
        boolean tiny = d < Float.MIN_NORMAL;
        if (tiny) {
            d = d * ((float) (1L << 32) * (float) (1L << 32));
        }
        int e = ilogb2k(d * (1.0f / 0.75f));
        float m = Float.intBitsToFloat(Float.floatToRawIntBits(d) + ((-e) << 23)); // vldexp3
        if (tiny) {
            e -= 64;
        }
        F2 x = div(add2(-1f, m), add2(1f, m));
        F2 x2 = squ(x);
        float t = 0.240320354700088500976562f;
        t = Math.fma(t, x2.x(), 0.285112679004669189453125f);
        t = Math.fma(t, x2.x(), 0.400007992982864379882812f);
        F2 c = new F2(0.66666662693023681640625f, 3.69183861259614332084311e-09f);
        F2 s = mul(new F2(0.69314718246459960938f, -1.904654323148236017e-09f), (float) e);
        s = add(s, scale(x, 2f));
        s = add(s, mul(mul(x2, x), add2(mul(x2, t), c)));
        return s;
    }

    private static float expk(F2 d) {
        float u = (d.x() + d.y()) * R_LN2;
        int q = (int) Math.rint(u); // _mm256_cvtps_epi32: round half to even
        F2 s = add2(d, (float) q * -L2U);
        s = add2(s, (float) q * -L2L);
        s = normalize(s);
        u = 0.00136324646882712841033936f;
        u = Math.fma(u, s.x(), 0.00836596917361021041870117f);
        u = Math.fma(u, s.x(), 0.0416710823774337768554688f);
        u = Math.fma(u, s.x(), 0.166665524244308471679688f);
        u = Math.fma(u, s.x(), 0.499999850988388061523438f);
        F2 t = add(s, mul(squ(s), u));
        t = add(1f, t);
        u = ldexp(t.x() + t.y(), q);
        return d.x() < -104f ? 0f : u;
    }

    private static int ilogb2k(float d) {
        return ((Float.floatToRawIntBits(d) >>> 23) & 0xff) - 0x7f;
    }

    /** vldexp_vf_vf_vi2: scales by 2^q in steps that cannot overflow the exponent field. */
    private static float ldexp(float x, int q) {
        int m = q >> 31;
        m = (((m + q) >> 6) - m) << 4;
        q = q - (m << 2);
        m = m + 0x7f;
        m = m > 0 ? m : 0;
        m = m > 0xff ? 0xff : m;
        float u = Float.intBitsToFloat(m << 23);
        x = x * u * u * u * u;
        u = Float.intBitsToFloat((q + 0x7f) << 23);
        return x * u;
    }

    // Double-float arithmetic of SLEEF's df.h, FMA variants (ENABLE_FMA_SP, as in the AVX2 build).

    private static F2 div(F2 n, F2 d) {
        float t = 1.0f / d.x();
        float s = n.x() * t;
        float u = Math.fma(t, n.x(), -s);
        float v = Math.fma(-d.y(), t, Math.fma(-d.x(), t, 1f));
        return new F2(s, Math.fma(s, v, Math.fma(n.y(), t, u)));
    }

    private static F2 squ(F2 x) {
        float s = x.x() * x.x();
        return new F2(s, Math.fma(x.x() + x.x(), x.y(), Math.fma(x.x(), x.x(), -s)));
    }

    private static F2 mul(F2 x, F2 y) {
        float s = x.x() * y.x();
        return new F2(s, Math.fma(x.x(), y.y(), Math.fma(x.y(), y.x(), Math.fma(x.x(), y.x(), -s))));
    }

    private static F2 mul(F2 x, float y) {
        float s = x.x() * y;
        return new F2(s, Math.fma(x.y(), y, Math.fma(x.x(), y, -s)));
    }

    private static F2 scale(F2 d, float s) {
        return new F2(d.x() * s, d.y() * s);
    }

    /** dfadd2_vf2_vf_vf: exact sum of two floats (no magnitude precondition). */
    private static F2 add2(float x, float y) {
        float s = x + y;
        float v = s - x;
        return new F2(s, (x - (s - v)) + (y - v));
    }

    /** dfadd2_vf2_vf2_vf. */
    private static F2 add2(F2 x, float y) {
        float s = x.x() + y;
        float v = s - x.x();
        float t = (x.x() - (s - v)) + (y - v);
        return new F2(s, t + x.y());
    }

    /** dfadd2_vf2_vf2_vf2. */
    private static F2 add2(F2 x, F2 y) {
        float s = x.x() + y.x();
        float v = s - x.x();
        float t = (x.x() - (s - v)) + (y.x() - v);
        return new F2(s, t + (x.y() + y.y()));
    }

    /** dfadd_vf2_vf2_vf2 (|x| >= |y|). */
    private static F2 add(F2 x, F2 y) {
        float s = x.x() + y.x();
        return new F2(s, (((x.x() - s) + y.x()) + x.y()) + y.y());
    }

    /** dfadd_vf2_vf_vf2. */
    private static F2 add(float x, F2 y) {
        float s = x + y.x();
        return new F2(s, ((x - s) + y.x()) + y.y());
    }

    private static F2 normalize(F2 t) {
        float s = t.x() + t.y();
        return new F2(s, (t.x() - s) + t.y());
    }
}
