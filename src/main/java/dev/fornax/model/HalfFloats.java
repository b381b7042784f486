package dev.fornax.model;

/**
 * 16-bit float formats to and from float32, written out here (Java 17 has no binary16 support and
 * the project wants its own, tested conversions).
 *
 * <p>Decoding is exact (every bf16 and f16 value is a float32 value), NaN payloads are kept, f16
 * subnormals are normalised, not flushed. bf16 encoding rounds to nearest, ties to even, as torch's
 * {@code tensor.to(torch.bfloat16)} does.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** All 65,536 f16 values, so that the hot row-decode loop is one table load per element. */
    private static final float[] F16_TABLE = new float[1 << 16];

    static {
        for (int i = 0; i < F16_TABLE.length; i++) {
            F16_TABLE[i] = decodeF16Bits(i);
        }
    }

    /** bf16 is the upper half of a float32: shifting back is exact. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    public static float f16ToFloat(short bits) {
        return F16_TABLE[bits & 0xFFFF];
    }

    /** Decodes {@code n} bf16 values from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void bf16ToFloat(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float.intBitsToFloat(src[srcOff + i] << 16);
        }
    }

    public static void f16ToFloat(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        float[] table = F16_TABLE;
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFFFF];
        }
    }

    /**
     * IEEE binary16 (1 sign, 5 exponent bits with bias 15, 10 mantissa bits) to float32 by moving the
     * fields: exponent rebiased by 127 − 15 = 112, mantissa shifted up by 13.
     */
    static float decodeF16Bits(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) { // infinity (mantissa 0) or NaN (payload kept)
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign); // ±0
            }
            // Subnormal: mantissa·2^-24. Shift the leading one into the implicit bit position (bit 10);
            // every f16 subnormal is a normal float32.
            int shift = Integer.numberOfLeadingZeros(mantissa) - 21;
            mantissa = (mantissa << shift) & 0x3FF;
            exponent = 1 - shift;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** float32 to bf16, round to nearest even; NaN stays NaN (quiet), ±Inf stays ±Inf. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }
}
