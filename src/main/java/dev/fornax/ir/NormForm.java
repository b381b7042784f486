package dev.fornax.ir;

/** How an RMSNorm applies its stored weight w: {@code x̂·w} (llama, qwen2, phi3) or {@code x̂·(1+w)} (gemma). */
public enum NormForm {
    WEIGHT,
    ONE_PLUS_WEIGHT
}
