package dev.fornax.engine;

import dev.fornax.ir.NormForm;

/**
 * The float32 element-wise operations of the forward pass, written to round where transformers
 * v4.44 rounds (every intermediate is a float32 tensor there). Reductions (dot products, sums)
 * may add in a different order than torch does; that moves results by a few ulps, far below the
 * 1e-4 tolerance against HF.
 */
final class Kernels {
    private Kernels() {}

    /** {@code Σ a[i]·b[i]} over [0, n), with 8 partial sums so the CPU can overlap the adds. */
    static float dot(float[] a, float[] b, int n) {
        return dot(a, 0, b, 0, n);
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
            s4 += a[aOff + i + 4] * b[bOff + i + 4];
            s5 += a[aOff + i + 5] * b[bOff + i + 5];
            s6 += a[aOff + i + 6] * b[bOff + i + 6];
            s7 += a[aOff + i + 7] * b[bOff + i + 7];
        }
        for (; i < n; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * {@link #dot} with {@code a} given as bfloat16 bit patterns: each is widened to the float32 it
     * denotes and the products are summed in exactly the same order, so the result is bit-identical.
     */
    static float dotBf16(short[] a, float[] b, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            s0 += Float.intBitsToFloat(a[i] << 16) * b[i];
            s1 += Float.intBitsToFloat(a[i + 1] << 16) * b[i + 1];
            s2 += Float.intBitsToFloat(a[i + 2] << 16) * b[i + 2];
            s3 += Float.intBitsToFloat(a[i + 3] << 16) * b[i + 3];
            s4 += Float.intBitsToFloat(a[i + 4] << 16) * b[i + 4];
            s5 += Float.intBitsToFloat(a[i + 5] << 16) * b[i + 5];
            s6 += Float.intBitsToFloat(a[i + 6] << 16) * b[i + 6];
            s7 += Float.intBitsToFloat(a[i + 7] << 16) * b[i + 7];
        }
        for (; i < n; i++) {
            s0 += Float.intBitsToFloat(a[i] << 16) * b[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * RMSNorm as HF: {@code x̂ = x · rsqrt(mean(x²) + eps)} in float32, then {@code w·x̂} (llama,
     * qwen2, phi3) or {@code x̂·(1 + w)} with {@code 1 + w} rounded to float32 first (gemma).
     */
    static void rmsNorm(float[] x, float[] w, float eps, NormForm form, float[] out) {
        rmsNorm(x, 0, x.length, w, eps, form, out, 0);
    }

    /**
     * {@link #rmsNorm} over the slice {@code x[off .. off+n)} into {@code out[outOff ..]} (may be the
     * same slice): qwen3's per-head q/k norm, {@code w} of length n shared by every head.
     */
    static void rmsNorm(float[] x, int off, int n, float[] w, float eps, NormForm form, float[] out, int outOff) {
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            sumSq += (double) v * v;
        }
        float variance = (float) (sumSq / n);
        float rsqrt = (float) (1.0 / Math.sqrt(variance + eps));
        if (form == NormForm.ONE_PLUS_WEIGHT) {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = (x[off + i] * rsqrt) * (1.0f + w[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[outOff + i] = w[i] * (x[off + i] * rsqrt);
            }
        }
    }

    /**
     * HF rotate-half RoPE on one head at {@code v[off .. off+headDim)}: element i pairs with
     * i + headDim/2; {@code out = v·cos + rotate_half(v)·sin}, each product rounded to float32.
     */
    static void rope(float[] v, int off, int headDim, float[] cos, float[] sin) {
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            float x1 = v[off + i];
            float x2 = v[off + i + half];
            float c = cos[i];
            float s = sin[i];
            v[off + i] = x1 * c + (-x2) * s;
            v[off + i + half] = x2 * c + x1 * s;
        }
    }

    /** torch.nn.functional.silu: {@code x / (1 + exp(-x))}. */
    static float silu(float x) {
        return (float) (x / (1.0 + Math.exp(-x)));
    }

    private static final float GELU_BETA = (float) (Math.sqrt(2) * (2 / Math.sqrt(Math.PI)) * 0.5); // √(2/π)
    private static final float GELU_KAPPA = 0.044715f;

    /**
     * torch gelu(approximate="tanh") = HF gelu_pytorch_tanh:
     * {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}, in float32 in torch's order (the
     * {@code 1 + tanh} cancels for negative x, and rounding it as torch does keeps us close there).
     */
    static float geluTanh(float x) {
        float cube = x * x * x;
        float inner = GELU_BETA * (x + GELU_KAPPA * cube);
        return 0.5f * x * (1.0f + (float) Math.tanh(inner));
    }

    /**
     * In-place softmax over {@code v[0 .. n)} as torch's CPU kernel: subtract the maximum, exp,
     * sum, then multiply by the reciprocal of the sum; float32 results.
     */
    static void softmax(float[] v, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        float reciprocal = 1.0f / (float) sum;
        for (int i = 0; i < n; i++) {
            v[i] = v[i] * reciprocal;
        }
    }
}
