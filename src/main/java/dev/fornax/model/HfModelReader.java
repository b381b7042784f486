package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An HF model directory → {@link LoadedWeights}: the spec from config.json, every tensor looked up
 * by its HF name and checked against the shape the spec implies. phi3's fused {@code qkv_proj}
 * ([q: H·hd | k: KV·hd | v: KV·hd]) and {@code gate_up_proj} ([gate: I | up: I]) become row views;
 * qwen3's {@code self_attn.q_norm} / {@code k_norm} are [head_dim] vectors.
 * Tensors the model would not use are an error (they would mean a computation we do not do),
 * except a rotary {@code inv_freq} buffer and a stored copy of a tied lm_head, which HF ignores too.
 */
final class HfModelReader {
    private HfModelReader() {}

    static LoadedWeights read(Path dir) {
        ModelSpec spec = HfConfig.read(dir);
        try (HfTensors t = HfTensors.open(dir)) {
            return build(dir, spec, t);
        }
    }

    private static LoadedWeights build(Path dir, ModelSpec spec, HfTensors t) {
        int d = spec.hidden();
        int qDim = spec.heads() * spec.headDim();
        int kvDim = spec.kvHeads() * spec.headDim();
        int inter = spec.intermediate();
        String dims = "hidden_size " + d;

        Matrix embedding = t.matrix("model.embed_tokens.weight", spec.vocab(), d, "vocab_size × hidden_size");
        Matrix lmHead;
        if (spec.tiedEmbeddings()) {
            lmHead = embedding;
        } else {
            if (!t.has("lm_head.weight")) {
                throw new FornaxException(dir + ": tensor 'lm_head.weight' is missing (config.json has tie_word_embeddings false)");
            }
            lmHead = t.matrix("lm_head.weight", spec.vocab(), d, "vocab_size × hidden_size");
        }
        float[] finalNorm = t.vector("model.norm.weight", d, dims);

        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < spec.layers(); i++) {
            String p = "model.layers." + i + ".";
            String attn = p + "self_attn.";
            String mlp = p + "mlp.";
            Matrix wq;
            Matrix wk;
            Matrix wv;
            Matrix wGate;
            Matrix wUp;
            if (spec.architecture() == Architecture.PHI3) {
                Matrix qkv = t.matrix(attn + "qkv_proj.weight", qDim + 2 * kvDim, d,
                        "(num_attention_heads + 2·num_key_value_heads)·head_dim × hidden_size");
                wq = new RowSliceMatrix(qkv, 0, qDim, "q");
                wk = new RowSliceMatrix(qkv, qDim, kvDim, "k");
                wv = new RowSliceMatrix(qkv, qDim + kvDim, kvDim, "v");
                Matrix gateUp = t.matrix(mlp + "gate_up_proj.weight", 2 * inter, d, "2·intermediate_size × hidden_size");
                wGate = new RowSliceMatrix(gateUp, 0, inter, "gate");
                wUp = new RowSliceMatrix(gateUp, inter, inter, "up");
            } else {
                wq = t.matrix(attn + "q_proj.weight", qDim, d, "num_attention_heads·head_dim × hidden_size");
                wk = t.matrix(attn + "k_proj.weight", kvDim, d, "num_key_value_heads·head_dim × hidden_size");
                wv = t.matrix(attn + "v_proj.weight", kvDim, d, "num_key_value_heads·head_dim × hidden_size");
                wGate = t.matrix(mlp + "gate_proj.weight", inter, d, "intermediate_size × hidden_size");
                wUp = t.matrix(mlp + "up_proj.weight", inter, d, "intermediate_size × hidden_size");
            }
            float[] bq = null;
            float[] bk = null;
            float[] bv = null;
            if (spec.qkvBias()) {
                bq = t.vector(attn + "q_proj.bias", qDim, "num_attention_heads·head_dim");
                bk = t.vector(attn + "k_proj.bias", kvDim, "num_key_value_heads·head_dim");
                bv = t.vector(attn + "v_proj.bias", kvDim, "num_key_value_heads·head_dim");
            }
            Matrix wo = t.matrix(attn + "o_proj.weight", d, qDim, "hidden_size × num_attention_heads·head_dim");
            Matrix wDown = t.matrix(mlp + "down_proj.weight", d, inter, "hidden_size × intermediate_size");
            float[] attnNorm = t.vector(p + "input_layernorm.weight", d, dims);
            float[] ffnNorm = t.vector(p + "post_attention_layernorm.weight", d, dims);
            float[] qNorm = null;
            float[] kNorm = null;
            if (spec.qkNorm()) { // Qwen3Attention: Qwen3RMSNorm(head_dim), one weight shared by all heads
                qNorm = t.vector(attn + "q_norm.weight", spec.headDim(), "head_dim");
                kNorm = t.vector(attn + "k_norm.weight", spec.headDim(), "head_dim");
            }
            layers.add(new LayerWeights(attnNorm, wq, wk, wv, bq, bk, bv, wo, ffnNorm, wGate, wUp, wDown, qNorm, kNorm));
        }
        refuseUnused(dir, spec, t.unused());
        return new LoadedWeights(spec, embedding, lmHead, finalNorm, layers, "hf-safetensors", t.storage(),
                t.tensorCount());
    }

    private static void refuseUnused(Path dir, ModelSpec spec, List<String> unused) {
        List<String> unexpected = new ArrayList<>();
        for (String name : unused) {
            boolean ignorable = name.endsWith(".rotary_emb.inv_freq")
                    || (spec.tiedEmbeddings() && name.equals("lm_head.weight"));
            if (!ignorable) {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            String shown = String.join(", ", unexpected.subList(0, Math.min(3, unexpected.size())));
            String more = unexpected.size() > 3 ? " and " + (unexpected.size() - 3) + " more" : "";
            throw new FornaxException(dir + ": unexpected tensors for a " + spec.layers() + "-layer "
                    + spec.architecture().modelType() + " model: " + shown + more);
        }
    }
}
