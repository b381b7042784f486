package dev.fornax.ir;

import java.util.List;

/**
 * The typed, validated description of a model: everything the float engine, the quantizer and the
 * RTL generator need to know besides the weights. Built from config.json per model_type (or from a
 * llama2.c header) by {@code dev.fornax.model}.
 *
 * @param hidden           hidden size D
 * @param heads            query heads H
 * @param kvHeads          key/value heads KV (H % KV == 0); query head h reads kv head h / (H/KV)
 * @param headDim          per-head width; gemma takes it from config, others hidden/heads
 * @param intermediate     MLP width I
 * @param contextLength    max positions (max_position_embeddings, llama2.c seq_len)
 * @param normEps          RMSNorm epsilon
 * @param qkvBias          q/k/v projections carry a bias (qwen2); o_proj never does
 * @param tiedEmbeddings   lm_head is the embedding table
 * @param scaleEmbeddings  embeddings are multiplied by float32(sqrt(hidden)) on input (gemma)
 * @param bosId            beginning-of-sequence id, or -1
 * @param eosIds           ids that end generation (may be empty)
 */
public record ModelSpec(
        Architecture architecture,
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int intermediate,
        int vocab,
        int contextLength,
        double normEps,
        NormForm normForm,
        Rope rope,
        Activation activation,
        boolean qkvBias,
        boolean tiedEmbeddings,
        boolean scaleEmbeddings,
        int bosId,
        List<Integer> eosIds) {

    public ModelSpec {
        eosIds = List.copyOf(eosIds);
    }

    /** Query heads per kv head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** Parameter count as HF counts it (a tied lm_head counted once). */
    public long parameters() {
        long d = hidden;
        long qDim = (long) heads * headDim;
        long kvDim = (long) kvHeads * headDim;
        long perLayer = d * qDim + 2 * d * kvDim + qDim * d // q, k, v, o
                + 3 * d * intermediate // gate, up, down
                + 2 * d; // two norms
        if (qkvBias) {
            perLayer += qDim + 2 * kvDim;
        }
        long total = perLayer * layers + (long) vocab * d + d;
        if (!tiedEmbeddings) {
            total += (long) vocab * d;
        }
        return total;
    }
}
