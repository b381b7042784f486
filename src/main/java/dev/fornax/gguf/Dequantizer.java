package dev.fornax.gguf;

import dev.fornax.model.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ggml block formats to float32, transcribed from ggml's reference {@code dequantize_row_*}
 * (ggml/src/ggml-quants.c) with the same float32 operations in the same order, so every value is
 * bit-identical to what ggml computes (ggml's portable build; Java never fuses a multiply and an
 * add, and neither does that C code without FMA flags). Block layouts are those of ggml-common.h.
 * Checked against gguf-py's numpy dequantisers and ggml's C {@code to_float} on files written by
 * llama-quantize (src/test/resources/gguf).
 */
public final class Dequantizer {
    private static final int QK_K = 256;

    private Dequantizer() {}

    /**
     * Decodes {@code n} elements (a whole number of blocks) stored at byte {@code at} of the
     * little-endian buffer {@code src} into {@code dst[off .. off+n)}.
     */
    public static void decode(GgmlType type, ByteBuffer src, int at, int n, float[] dst, int off) {
        int blocks = n / type.blockSize();
        switch (type) {
            case F32 -> src.slice(at, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, off, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = HalfFloats.f16ToFloat(src.getShort(at + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = HalfFloats.bf16ToFloat(src.getShort(at + 2 * i));
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < blocks; b++) {
                    q4_0(src, at + 18 * b, dst, off + 32 * b);
                }
            }
            case Q4_1 -> {
                for (int b = 0; b < blocks; b++) {
                    q4_1(src, at + 20 * b, dst, off + 32 * b);
                }
            }
            case Q5_0 -> {
                for (int b = 0; b < blocks; b++) {
                    q5_0(src, at + 22 * b, dst, off + 32 * b);
                }
            }
            case Q5_1 -> {
                for (int b = 0; b < blocks; b++) {
                    q5_1(src, at + 24 * b, dst, off + 32 * b);
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < blocks; b++) {
                    q8_0(src, at + 34 * b, dst, off + 32 * b);
                }
            }
            case IQ4_NL -> {
                for (int b = 0; b < blocks; b++) {
                    iq4_nl(src, at + 18 * b, dst, off + 32 * b);
                }
            }
            case Q2_K -> {
                for (int b = 0; b < blocks; b++) {
                    q2_K(src, at + 84 * b, dst, off + QK_K * b);
                }
            }
            case Q3_K -> {
                for (int b = 0; b < blocks; b++) {
                    q3_K(src, at + 110 * b, dst, off + QK_K * b);
                }
            }
            case Q4_K -> {
                for (int b = 0; b < blocks; b++) {
                    q4_K(src, at + 144 * b, dst, off + QK_K * b);
                }
            }
            case Q5_K -> {
                for (int b = 0; b < blocks; b++) {
                    q5_K(src, at + 176 * b, dst, off + QK_K * b);
                }
            }
            case Q6_K -> {
                for (int b = 0; b < blocks; b++) {
                    q6_K(src, at + 210 * b, dst, off + QK_K * b);
                }
            }
            default -> throw new IllegalArgumentException("no dequantizer for " + type);
        }
    }

    private static float half(ByteBuffer b, int at) {
        return HalfFloats.f16ToFloat(b.getShort(at));
    }

    private static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xFF;
    }

    /** block_q4_0 { half d; u8 qs[16]; }: x = (nibble − 8)·d; low nibbles first, then high. */
    private static void q4_0(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, at + 2 + j);
            y[o + j] = ((q & 0x0F) - 8) * d;
            y[o + j + 16] = ((q >>> 4) - 8) * d;
        }
    }

    /** block_q4_1 { half d, m; u8 qs[16]; }: x = nibble·d + m. */
    private static void q4_1(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at);
        float m = half(b, at + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, at + 4 + j);
            y[o + j] = (q & 0x0F) * d + m;
            y[o + j + 16] = (q >>> 4) * d + m;
        }
    }

    /** block_q5_0 { half d; u8 qh[4]; u8 qs[16]; }: x = (nibble | fifth bit << 4) − 16, times d. */
    private static void q5_0(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at);
        int qh = b.getInt(at + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, at + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[o + j] = (((q & 0x0F) | h0) - 16) * d;
            y[o + j + 16] = (((q >>> 4) | h1) - 16) * d;
        }
    }

    /** block_q5_1 { half d, m; u8 qh[4]; u8 qs[16]; }: x = (nibble | fifth bit << 4)·d + m. */
    private static void q5_1(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at);
        float m = half(b, at + 2);
        int qh = b.getInt(at + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, at + 8 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[o + j] = ((q & 0x0F) | h0) * d + m;
            y[o + j + 16] = ((q >>> 4) | h1) * d + m;
        }
    }

    /** block_q8_0 { half d; i8 qs[32]; }: x = q·d. */
    private static void q8_0(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at);
        for (int j = 0; j < 32; j++) {
            y[o + j] = b.get(at + 2 + j) * d;
        }
    }

    /** ggml's kvalues_iq4nl: the 16 non-linear levels of IQ4_NL. */
    private static final int[] IQ4NL_LEVELS = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    /** block_iq4_nl { half d; u8 qs[16]; }: x = d·level[nibble]; low nibbles first, then high. */
    private static void iq4_nl(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, at + 2 + j);
            y[o + j] = d * IQ4NL_LEVELS[q & 0xF];
            y[o + j + 16] = d * IQ4NL_LEVELS[q >>> 4];
        }
    }

    /**
     * block_q2_K { u8 scales[16]; u8 qs[64]; half d, dmin; }: 16 sub-blocks of 16, each with a 4-bit
     * scale and min, x = (d·sc)·q − (dmin·m), q two bits of qs.
     */
    private static void q2_K(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at + 80);
        float dmin = half(b, at + 82);
        int q = at + 16;
        int is = 0;
        for (int n = 0; n < QK_K; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; half++) {
                    int sc = u8(b, at + is++);
                    float dl = d * (sc & 0xF);
                    float ml = dmin * (sc >>> 4);
                    for (int l = 0; l < 16; l++) {
                        y[o++] = dl * ((u8(b, q + 16 * half + l) >>> shift) & 3) - ml;
                    }
                }
            }
            q += 32;
        }
    }

    /**
     * block_q3_K { u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d; }: 16 sub-blocks of 16 with 6-bit
     * scales (offset 32), x = (d·(sc − 32))·(q − 4 unless the hmask bit is set), q two bits of qs.
     */
    private static void q3_K(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at + 108);
        int a0 = b.getInt(at + 96);
        int a1 = b.getInt(at + 100);
        int tmp = b.getInt(at + 104);
        int kmask1 = 0x03030303;
        int kmask2 = 0x0f0f0f0f;
        int[] aux = {
            (a0 & kmask2) | (((tmp >>> 0) & kmask1) << 4),
            (a1 & kmask2) | (((tmp >>> 2) & kmask1) << 4),
            ((a0 >>> 4) & kmask2) | (((tmp >>> 4) & kmask1) << 4),
            ((a1 >>> 4) & kmask2) | (((tmp >>> 6) & kmask1) << 4)};
        int q = at + 32;
        int hm = at;
        int m = 1;
        int is = 0;
        for (int n = 0; n < QK_K; n += 128) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; half++) {
                    int sc = (byte) (aux[is >>> 2] >>> (8 * (is & 3))); // the scales as int8, little-endian
                    is++;
                    float dl = d * (sc - 32);
                    for (int l = 0; l < 16; l++) {
                        int k = 16 * half + l;
                        y[o++] = dl * (((u8(b, q + k) >>> shift) & 3) - ((u8(b, hm + k) & m) != 0 ? 0 : 4));
                    }
                }
                m <<= 1;
            }
            q += 32;
        }
    }

    /** The 6-bit scale and min of sub-block j from the 12 packed bytes at {@code s} (get_scale_min_k4). */
    private static int scale(ByteBuffer b, int s, int j) {
        return j < 4 ? u8(b, s + j) & 63 : (u8(b, s + j + 4) & 0xF) | ((u8(b, s + j - 4) >>> 6) << 4);
    }

    private static int min(ByteBuffer b, int s, int j) {
        return j < 4 ? u8(b, s + j + 4) & 63 : (u8(b, s + j + 4) >>> 4) | ((u8(b, s + j) >>> 6) << 4);
    }

    /**
     * block_q4_K { half d, dmin; u8 scales[12]; u8 qs[128]; }: 8 sub-blocks of 32,
     * x = (d·sc)·q − (dmin·m); each 32 bytes of qs hold two sub-blocks (low, then high nibbles).
     */
    private static void q4_K(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at);
        float dmin = half(b, at + 2);
        int scales = at + 4;
        int q = at + 16;
        int is = 0;
        for (int j = 0; j < QK_K; j += 64) {
            float d1 = d * scale(b, scales, is);
            float m1 = dmin * min(b, scales, is);
            float d2 = d * scale(b, scales, is + 1);
            float m2 = dmin * min(b, scales, is + 1);
            for (int l = 0; l < 32; l++) {
                y[o++] = d1 * (u8(b, q + l) & 0xF) - m1;
            }
            for (int l = 0; l < 32; l++) {
                y[o++] = d2 * (u8(b, q + l) >>> 4) - m2;
            }
            q += 32;
            is += 2;
        }
    }

    /** block_q5_K { half d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]; }: q4_K plus a fifth bit from qh. */
    private static void q5_K(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at);
        float dmin = half(b, at + 2);
        int scales = at + 4;
        int qh = at + 16;
        int ql = at + 48;
        int is = 0;
        int u1 = 1;
        int u2 = 2;
        for (int j = 0; j < QK_K; j += 64) {
            float d1 = d * scale(b, scales, is);
            float m1 = dmin * min(b, scales, is);
            float d2 = d * scale(b, scales, is + 1);
            float m2 = dmin * min(b, scales, is + 1);
            for (int l = 0; l < 32; l++) {
                y[o++] = d1 * ((u8(b, ql + l) & 0xF) + ((u8(b, qh + l) & u1) != 0 ? 16 : 0)) - m1;
            }
            for (int l = 0; l < 32; l++) {
                y[o++] = d2 * ((u8(b, ql + l) >>> 4) + ((u8(b, qh + l) & u2) != 0 ? 16 : 0)) - m2;
            }
            ql += 32;
            is += 2;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    /**
     * block_q6_K { u8 ql[128]; u8 qh[64]; i8 scales[16]; half d; }: 16 sub-blocks of 16,
     * x = (d·sc)·(q − 32) with q 4 low bits from ql and 2 high bits from qh.
     */
    private static void q6_K(ByteBuffer b, int at, float[] y, int o) {
        float d = half(b, at + 208);
        int ql = at;
        int qh = at + 128;
        int sc = at + 192;
        for (int n = 0; n < QK_K; n += 128) {
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int h = u8(b, qh + l);
                int q1 = ((u8(b, ql + l) & 0xF) | ((h & 3) << 4)) - 32;
                int q2 = ((u8(b, ql + l + 32) & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                int q3 = ((u8(b, ql + l) >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                int q4 = ((u8(b, ql + l + 32) >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                y[o + l] = d * b.get(sc + is) * q1;
                y[o + l + 32] = d * b.get(sc + is + 2) * q2;
                y[o + l + 64] = d * b.get(sc + is + 4) * q3;
                y[o + l + 96] = d * b.get(sc + is + 6) * q4;
            }
            o += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}
