package dev.fornax.model;

import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one GGUF {@code general.architecture} maps onto the IR: what llama.cpp's converter
 * (convert_hf_to_gguf.py) did to the HF tensors, so that the reader can undo it, and the fixed
 * traits of the family that HF's config implies and GGUF does not store.
 *
 * <p>Norm weights are always used as stored ({@link dev.fornax.ir.NormForm#WEIGHT}): for gemma the
 * converter stored {@code w + 1} computed in float32, which is exactly the multiplier HF's
 * GemmaRMSNorm computes ({@code 1 + w.float()}), so nothing is undone there.
 *
 * <p>Adding an architecture: one entry in {@link #TABLE} (plus IR support for anything new, such
 * as extra norm tensors). The hyperparameter keys ({@code <arch>.embedding_length}, ...) and tensor
 * names ({@code blk.N.attn_q.weight}, ...) are common to all llama-like families.
 *
 * @param interleavedRope q/k rows are in llama.cpp's "normal" RoPE layout, pairs (2i, 2i+1) per
 *                        head: the converter permuted them from HF's rotate-half layout
 *                        ({@code LlamaModel.permute}); the reader permutes them back. Families that
 *                        llama.cpp runs with NEOX RoPE (qwen2, phi3, gemma) are stored unpermuted.
 * @param fusedQkv        q, k, v in one {@code attn_qkv} tensor, rows [q | k | v] (phi3)
 * @param fusedGateUp     gate and up in one {@code ffn_up} tensor, rows [gate | up] (phi3)
 * @param qkvBias         q/k/v projections carry biases (qwen2)
 * @param scaleEmbeddings embeddings are multiplied by float32(sqrt(hidden)) (gemma)
 * @param qkNorm          per-head q/k RMSNorm weights {@code attn_q_norm} / {@code attn_k_norm}
 *                        [head size] (qwen3: the converter's Qwen3Model derives from Qwen2Model and
 *                        changes no tensor, so they are stored as in HF, like the q/k rows)
 */
record GgufArchitecture(
        Architecture architecture,
        boolean interleavedRope,
        boolean fusedQkv,
        boolean fusedGateUp,
        boolean qkvBias,
        Activation activation,
        boolean scaleEmbeddings,
        boolean qkNorm) {

    GgufArchitecture(Architecture architecture, boolean interleavedRope, boolean fusedQkv, boolean fusedGateUp,
            boolean qkvBias, Activation activation, boolean scaleEmbeddings) {
        this(architecture, interleavedRope, fusedQkv, fusedGateUp, qkvBias, activation, scaleEmbeddings, false);
    }

    /** GGUF architecture name → mapping; sorted so that error messages list them in a fixed order. */
    static final Map<String, GgufArchitecture> TABLE = new TreeMap<>(Map.of(
            "llama", new GgufArchitecture(Architecture.LLAMA, true, false, false, false, Activation.SILU, false),
            "qwen2", new GgufArchitecture(Architecture.QWEN2, false, false, false, true, Activation.SILU, false),
            "qwen3", new GgufArchitecture(Architecture.QWEN3, false, false, false, false, Activation.SILU, false, true),
            "phi3", new GgufArchitecture(Architecture.PHI3, false, true, true, false, Activation.SILU, false),
            "gemma", new GgufArchitecture(Architecture.GEMMA, false, false, false, false, Activation.GELU_TANH,
                    true)));

    static String supported() {
        return String.join(", ", TABLE.keySet());
    }
}
