package dev.fornax.ir;

import java.util.List;
import java.util.Objects;

/**
 * The typed, validated description of a model: everything the float engine, the quantizer and the
 * RTL generator need to know besides the weights. Built from config.json per model_type (or from a
 * llama2.c header) by {@code dev.fornax.model}.
 *
 * @param hidden           hidden size D
 * @param heads            query heads H
 * @param kvHeads          key/value heads KV (H % KV == 0); query head h reads kv head h / (H/KV)
 * @param headDim          per-head width; gemma and qwen3 take it from config, others hidden/heads
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

    /**
     * Checks the invariants every consumer relies on. Loaders validate user input first and report
     * it by field name; reaching these checks means a programming error.
     */
    public ModelSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(normForm, "normForm");
        Objects.requireNonNull(rope, "rope");
        Objects.requireNonNull(activation, "activation");
        eosIds = List.copyOf(eosIds);
        if (hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || intermediate <= 0
                || vocab <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("model dimensions must be positive: " + dimensions(hidden, layers,
                    heads, kvHeads, headDim, intermediate, vocab, contextLength));
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads " + heads + " not a multiple of kvHeads " + kvHeads);
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("headDim " + headDim + " is odd; RoPE rotates pairs");
        }
        if (!(normEps > 0)) {
            throw new IllegalArgumentException("normEps must be positive: " + normEps);
        }
        if (bosId < -1 || bosId >= vocab) {
            throw new IllegalArgumentException("bosId " + bosId + " outside vocab " + vocab);
        }
        for (int id : eosIds) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("eos id " + id + " outside vocab " + vocab);
            }
        }
    }

    private static String dimensions(int... values) {
        return java.util.Arrays.toString(values);
    }

    /** Width of all query heads together, H·hd (rows of wq). */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of all key (or value) heads together, KV·hd (rows of wk, wv). */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /**
     * Whether q and k carry a per-head RMSNorm over head_dim before RoPE ({@code q_norm},
     * {@code k_norm}: qwen3). Fixed by the architecture, so it is not a separate component.
     */
    public boolean qkNorm() {
        return architecture == Architecture.QWEN3;
    }

    /** Query heads per kv head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /**
     * Parameter count as HF counts it (a tied lm_head counted once). Exact arithmetic: the loaders
     * refuse dimensions whose count overflows, so an ArithmeticException here is a programming error.
     */
    public long parameters() {
        long d = hidden;
        long qDim = (long) heads * headDim;
        long kvDim = (long) kvHeads * headDim;
        long perLayer = Math.addExact(Math.addExact(
                Math.multiplyExact(d, Math.addExact(Math.multiplyExact(2, qDim), Math.multiplyExact(2, kvDim))), // q, k, v, o
                Math.multiplyExact(Math.multiplyExact(3, d), intermediate)), // gate, up, down
                2 * d); // two norms
        if (qkNorm()) {
            perLayer = Math.addExact(perLayer, 2L * headDim); // q_norm, k_norm
        }
        if (qkvBias) {
            perLayer = Math.addExact(perLayer, qDim + 2 * kvDim);
        }
        long embed = Math.multiplyExact((long) vocab, d);
        long total = Math.addExact(Math.addExact(Math.multiplyExact(perLayer, (long) layers), embed), d);
        return tiedEmbeddings ? total : Math.addExact(total, embed);
    }
}
