package dev.fornax.ir;

/** RoPE frequency scaling, as transformers' modeling_rope_utils.py defines it. */
public sealed interface RopeScaling {
    /** Plain RoPE. */
    record None() implements RopeScaling {}

    /** {@code rope_type: "linear"}: every inverse frequency divided by factor. */
    record Linear(double factor) implements RopeScaling {}

    /** {@code rope_type: "llama3"} (Llama 3.1/3.2): low frequencies divided, a smoothed middle band. */
    record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions)
            implements RopeScaling {}

    /**
     * Each inverse frequency i divided by {@code factors[i]}: how llama.cpp stores llama3-style
     * scaling in a GGUF file (the converter writes the per-frequency divisors as the
     * {@code rope_freqs} tensor instead of the rope_scaling parameters).
     */
    record Frequencies(java.util.List<Float> factors) implements RopeScaling {
        public Frequencies {
            factors = java.util.List.copyOf(factors);
        }
    }
}
