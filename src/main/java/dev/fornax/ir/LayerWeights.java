package dev.fornax.ir;

/**
 * One decoder layer in canonical form, whatever the source layout: q/k rows in HF rotate-half
 * order, fused phi3 tensors already split. Norm weights are stored as in the checkpoint (gemma's
 * w, not 1+w; see {@link NormForm}). Biases are null when the architecture has none; so are the
 * per-head q/k norm weights {@code qNorm}, {@code kNorm} (qwen3: [hd] each, in the same rotate-half
 * element order as the q/k rows, shared by every head).
 *
 * <p>Shapes: wq [H·hd × D], wk/wv [KV·hd × D], wo [D × H·hd], wGate/wUp [I × D], wDown [D × I].
 */
public record LayerWeights(
        float[] attnNorm,
        Matrix wq,
        Matrix wk,
        Matrix wv,
        float[] bq,
        float[] bk,
        float[] bv,
        Matrix wo,
        float[] ffnNorm,
        Matrix wGate,
        Matrix wUp,
        Matrix wDown,
        float[] qNorm,
        float[] kNorm) {

    /** A layer without q/k norms (every architecture but qwen3). */
    public LayerWeights(float[] attnNorm, Matrix wq, Matrix wk, Matrix wv, float[] bq, float[] bk, float[] bv, Matrix wo,
            float[] ffnNorm, Matrix wGate, Matrix wUp, Matrix wDown) {
        this(attnNorm, wq, wk, wv, bq, bk, bv, wo, ffnNorm, wGate, wUp, wDown, null, null);
    }
}
