package dev.fornax.ir;

/**
 * Rotary position embedding parameters. Rotation pairs are HF's rotate-half layout: element i of a
 * head rotates with element i + headDim/2. (llama2.c checkpoints are permuted into this layout on load.)
 */
public record Rope(double theta, RopeScaling scaling) {
    /** Elements per iteration of torch 1.13's vectorised CPU loop: 2 AVX2 vectors of 8 floats. */
    private static final int TORCH_POW_BLOCK = 16;

    /**
     * The inverse frequencies exactly as transformers v4.44 computes them in float32:
     * {@code 1 / theta^(2i/d)} then the scaling rule of {@link #scaling()}.
     *
     * <p>Every step rounds to float32 where torch does, as torch 1.13 computes it on an AVX2 CPU
     * (the machine that produced the HF reference fixtures; see {@link SleefPowf}). Two torch details matter for bit equality:
     * a Python scalar meeting a float32 tensor is first rounded to float32, and {@code scalar / tensor}
     * is computed as {@code tensor.reciprocal() * scalar} (torch's {@code Tensor.__rtruediv__}).
     */
    public float[] inverseFrequencies(int headDim) {
        int half = headDim / 2;
        float base = (float) theta; // torch.tensor(base, dtype=float32) ** exponent
        float[] inv = new float[half];
        // torch's pow kernel runs SLEEF's 1-ulp powf over blocks of 2 x 8 floats (AVX2) and
        // std::pow (correctly rounded here) over the remaining tail.
        int vectorised = half - half % TORCH_POW_BLOCK;
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            float power = i < vectorised ? SleefPowf.pow(base, exponent) : (float) Math.pow(base, exponent);
            inv[i] = 1.0f / power; // 1.0 / t == t.reciprocal() * 1.0
        }
        if (scaling instanceof RopeScaling.Linear linear) {
            float factor = (float) linear.factor();
            for (int i = 0; i < half; i++) {
                inv[i] = inv[i] / factor;
            }
        } else if (scaling instanceof RopeScaling.Llama3 l3) {
            inv = llama3(inv, l3);
        } else if (scaling instanceof RopeScaling.Frequencies f) {
            if (f.factors().size() != half) {
                throw new IllegalArgumentException(f.factors().size() + " rope factors for " + half + " frequencies");
            }
            for (int i = 0; i < half; i++) {
                inv[i] = inv[i] / f.factors().get(i); // ggml: theta / freq_factor
            }
        }
        return inv;
    }

    /** modeling_rope_utils._compute_llama3_parameters, float32 throughout as torch evaluates it. */
    private static float[] llama3(float[] inv, RopeScaling.Llama3 s) {
        float factor = (float) s.factor();
        float low = (float) s.lowFreqFactor();
        float high = (float) s.highFreqFactor();
        float oldLen = (float) s.originalMaxPositions();
        // Python floats (double), rounded to float32 when compared with the float32 tensor.
        float lowFreqWavelen = (float) ((double) s.originalMaxPositions() / s.lowFreqFactor());
        float highFreqWavelen = (float) ((double) s.originalMaxPositions() / s.highFreqFactor());
        float bandWidth = (float) (s.highFreqFactor() - s.lowFreqFactor());
        float twoPi = (float) (2 * Math.PI);
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            float freq = inv[i];
            float wavelen = (1.0f / freq) * twoPi; // 2 * math.pi / inv_freq
            float scaled = wavelen > lowFreqWavelen ? freq / factor : freq;
            float smooth = ((1.0f / wavelen) * oldLen - low) / bandWidth; // (old_len / wavelen - low) / (high - low)
            float smoothed = (1.0f - smooth) * scaled / factor + smooth * scaled;
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            out[i] = medium ? smoothed : scaled;
        }
        return out;
    }
}
