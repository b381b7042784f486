package dev.fornax.ir;

/**
 * Rotary position embedding parameters. Rotation pairs are HF's rotate-half layout: element i of a
 * head rotates with element i + headDim/2. (llama2.c checkpoints are permuted into this layout on load.)
 */
public record Rope(double theta, RopeScaling scaling) {

    /**
     * The inverse frequencies exactly as transformers v4.44 computes them in float32:
     * {@code 1 / theta^(2i/d)} then the scaling rule of {@link #scaling()}.
     */
    public float[] inverseFrequencies(int headDim) {
        int half = headDim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            // torch: 1.0 / (base ** (arange(0, dim, 2).float() / dim)) -- exponent in float32, pow in float32.
            float exponent = (float) (2 * i) / (float) headDim;
            inv[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
        }
        if (scaling instanceof RopeScaling.Linear linear) {
            for (int i = 0; i < half; i++) {
                inv[i] = (float) (inv[i] / linear.factor());
            }
        } else if (scaling instanceof RopeScaling.Llama3 l3) {
            inv = llama3(inv, l3);
        }
        return inv;
    }

    private static float[] llama3(float[] inv, RopeScaling.Llama3 s) {
        // modeling_rope_utils._compute_llama3_parameters, float32 throughout as torch does.
        float factor = (float) s.factor();
        float low = (float) s.lowFreqFactor();
        float high = (float) s.highFreqFactor();
        float oldLen = s.originalMaxPositions();
        float lowFreqWavelen = oldLen / low;
        float highFreqWavelen = oldLen / high;
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            float freq = inv[i];
            float wavelen = (float) (2 * Math.PI) / freq;
            float scaled = wavelen > lowFreqWavelen ? freq / factor : freq;
            float smooth = (oldLen / wavelen - low) / (high - low);
            float smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            out[i] = medium ? smoothed : scaled;
        }
        return out;
    }
}
