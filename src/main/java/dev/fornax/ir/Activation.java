package dev.fornax.ir;

/** The gate activation of the gated MLP: SiLU (SwiGLU) or tanh-approximated GELU (GeGLU, gemma). */
public enum Activation {
    SILU,
    GELU_TANH
}
