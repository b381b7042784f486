package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every 16-bit pattern against an independent formula built from Math.scalb on the fields. */
class HalfFloatsTest {

    /** IEEE binary16 by definition: (−1)^s · 2^(e−15) · (1 + m/1024), subnormals 2^−14 · m/1024. */
    private static double f16Reference(int bits) {
        int s = (bits >> 15) & 1;
        int e = (bits >> 10) & 0x1F;
        int m = bits & 0x3FF;
        double sign = s == 1 ? -1.0 : 1.0;
        if (e == 31) {
            return m == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (e == 0) {
            return sign * Math.scalb((double) m, -24);
        }
        return sign * Math.scalb((double) (1024 + m), e - 25);
    }

    /** bfloat16 by definition: 8 exponent bits (bias 127), 7 mantissa bits. */
    private static double bf16Reference(int bits) {
        int s = (bits >> 15) & 1;
        int e = (bits >> 7) & 0xFF;
        int m = bits & 0x7F;
        double sign = s == 1 ? -1.0 : 1.0;
        if (e == 255) {
            return m == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (e == 0) {
            return sign * Math.scalb((double) m, -133);
        }
        return sign * Math.scalb((double) (128 + m), e - 134);
    }

    @Test
    void f16AllBitPatternsMatchTheDefinition() {
        int subnormals = 0;
        for (int bits = 0; bits < 65536; bits++) {
            float got = HalfFloats.f16ToFloat((short) bits);
            double want = f16Reference(bits);
            if (Double.isNaN(want)) {
                assertThat(Float.isNaN(got)).as("bits %04x", bits).isTrue();
                continue;
            }
            assertThat((double) got).as("bits %04x", bits).isEqualTo(want);
            // Signed zero must keep its sign.
            assertThat(Float.floatToRawIntBits(got) >>> 31).as("sign of %04x", bits).isEqualTo(bits >>> 15);
            if ((bits & 0x7C00) == 0 && (bits & 0x3FF) != 0) {
                subnormals++;
                assertThat(got).isNotZero();
            }
        }
        assertThat(subnormals).isEqualTo(2 * 1023);
    }

    @Test
    void f16BulkDecodeEqualsScalar() {
        short[] src = new short[65536];
        for (int i = 0; i < src.length; i++) {
            src[i] = (short) i;
        }
        float[] dst = new float[65536 + 3];
        HalfFloats.f16ToFloat(src, 0, dst, 3, src.length);
        for (int i = 0; i < src.length; i++) {
            assertThat(Float.floatToRawIntBits(dst[3 + i])).isEqualTo(Float.floatToRawIntBits(HalfFloats.f16ToFloat(src[i])));
        }
    }

    @Test
    void bf16AllBitPatternsMatchTheDefinition() {
        short[] src = new short[65536];
        float[] bulk = new float[65536];
        for (int i = 0; i < src.length; i++) {
            src[i] = (short) i;
        }
        HalfFloats.bf16ToFloat(src, 0, bulk, 0, src.length);
        for (int bits = 0; bits < 65536; bits++) {
            float got = HalfFloats.bf16ToFloat((short) bits);
            assertThat(Float.floatToRawIntBits(bulk[bits])).isEqualTo(Float.floatToRawIntBits(got));
            double want = bf16Reference(bits);
            if (Double.isNaN(want)) {
                assertThat(Float.isNaN(got)).as("bits %04x", bits).isTrue();
            } else {
                assertThat((double) got).as("bits %04x", bits).isEqualTo(want);
                assertThat(Float.floatToRawIntBits(got) >>> 31).isEqualTo(bits >>> 15);
            }
        }
    }

    @Test
    void bf16EncodingRoundsToNearestEven() {
        SplittableRandom rng = new SplittableRandom(42);
        for (int n = 0; n < 200_000; n++) {
            float x = Float.intBitsToFloat(rng.nextInt());
            if (Float.isNaN(x)) {
                assertThat(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(x)))).isTrue();
                continue;
            }
            short enc = HalfFloats.floatToBf16(x);
            double got = HalfFloats.bf16ToFloat(enc);
            // Neighbours: truncation and one bf16 ulp further from zero.
            int trunc = Float.floatToRawIntBits(x) & 0xFFFF0000;
            double lo = Float.intBitsToFloat(trunc);
            // One bf16 ulp further from zero, computed in double so that past the largest bf16 it is
            // ±2^128 (IEEE rounding treats the overflow threshold as if the exponent were unbounded).
            double hi = lo + Math.copySign(Math.scalb(1.0, Math.max(Math.getExponent((float) lo), -126) - 7), lo);
            double dLo = Math.abs(x - lo);
            double dHi = Math.abs(hi - x);
            double want;
            if (dLo < dHi) {
                want = lo;
            } else if (dHi < dLo) {
                want = hi;
            } else {
                want = ((trunc >>> 16) & 1) == 0 ? lo : hi; // tie: even mantissa
            }
            if (Math.abs(want) == 0x1p128) {
                want = Math.copySign(Double.POSITIVE_INFINITY, want);
            }
            assertThat(got).as("x=%s", x).isEqualTo(want);
        }
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1.00390625f))).isEqualTo(1.0f); // tie → even
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1.01171875f))).isEqualTo(1.015625f); // tie → even
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.MAX_VALUE))).isInfinite();
    }
}
