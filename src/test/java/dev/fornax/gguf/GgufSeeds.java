package dev.fornax.gguf;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/**
 * A complete, tiny GGUF model for the fuzz seed corpus (dev.fornax.fuzz.GgufFuzzTest): llama with
 * embedding 8, 1 block, heads 2/1, feed-forward 16, 16 tokens (SentencePiece-style tokenizer metadata
 * with scores and token types), F32 weights except an F16 attn_v; about 3.5 KB.
 */
public final class GgufSeeds {
    private GgufSeeds() {}

    public static byte[] tinyLlama() {
        int d = 8;
        int inter = 16;
        int vocab = 16;
        String[] tokens = {"<unk>", "<s>", "</s>", "\u2581", "a", "b", "c", "\u2581a", "ab", "l", "o", "lo",
            "\u2581ab", "<0x0A>", "e", "\u2581l"};
        float[] scores = new float[vocab];
        int[] types = new int[vocab];
        for (int i = 0; i < vocab; i++) {
            scores[i] = -i;
            types[i] = i < 3 ? 3 : 1;
        }
        types[0] = 2;
        types[13] = 6;
        GgufBytes g = new GgufBytes()
                .string("general.architecture", "llama")
                .u32("llama.embedding_length", d)
                .u32("llama.block_count", 1)
                .u32("llama.feed_forward_length", inter)
                .u32("llama.attention.head_count", 2)
                .u32("llama.attention.head_count_kv", 1)
                .u32("llama.context_length", 32)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .string("tokenizer.ggml.model", "llama")
                .stringArray("tokenizer.ggml.tokens", tokens)
                .raw("tokenizer.ggml.scores", 9, array(6, scores))
                .raw("tokenizer.ggml.token_type", 9, array(types))
                .u32("tokenizer.ggml.bos_token_id", 1)
                .u32("tokenizer.ggml.eos_token_id", 2);
        SplittableRandom r = new SplittableRandom(5);
        g.tensor("token_embd.weight", 0, floats(r, vocab * d), d, vocab)
                .tensor("blk.0.attn_norm.weight", 0, ones(d), d)
                .tensor("blk.0.attn_q.weight", 0, floats(r, d * d), d, d)
                .tensor("blk.0.attn_k.weight", 0, floats(r, 4 * d), d, 4)
                .tensor("blk.0.attn_v.weight", 1, halves(r, 4 * d), d, 4)
                .tensor("blk.0.attn_output.weight", 0, floats(r, d * d), d, d)
                .tensor("blk.0.ffn_norm.weight", 0, ones(d), d)
                .tensor("blk.0.ffn_gate.weight", 0, floats(r, inter * d), d, inter)
                .tensor("blk.0.ffn_up.weight", 0, floats(r, inter * d), d, inter)
                .tensor("blk.0.ffn_down.weight", 0, floats(r, d * inter), inter, d)
                .tensor("output_norm.weight", 0, ones(d), d);
        return g.build();
    }

    private static byte[] floats(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 0.1 - 0.05);
        }
        return GgufBytes.floats(v);
    }

    private static byte[] halves(SplittableRandom r, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(GgufBytes.le(2, f16((float) (r.nextDouble() * 0.1 - 0.05))));
        }
        return out.toByteArray();
    }

    /** float32 → IEEE half for normal values of small magnitude (truncating the mantissa). */
    static int f16(float x) {
        int bits = Float.floatToRawIntBits(x);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        if (exp <= 0) {
            return sign; // too small for a normal half: zero
        }
        return sign | (exp << 10) | ((bits >>> 13) & 0x3FF);
    }

    private static byte[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return GgufBytes.floats(v);
    }

    /** An array value: element type, count, elements (float32 when type 6). */
    private static byte[] array(int type, float[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(GgufBytes.le(4, type));
        out.writeBytes(GgufBytes.le(8, values.length));
        out.writeBytes(GgufBytes.floats(values));
        return out.toByteArray();
    }

    /** An int32 array (element type 5). */
    private static byte[] array(int[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(GgufBytes.le(4, 5));
        out.writeBytes(GgufBytes.le(8, values.length));
        for (int v : values) {
            out.writeBytes(GgufBytes.le(4, v));
        }
        return out.toByteArray();
    }
}
