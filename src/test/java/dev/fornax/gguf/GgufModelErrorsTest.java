package dev.fornax.gguf;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GGUF model whose metadata or tensors Fornax cannot use: one error naming the file and the key or tensor. */
class GgufModelErrorsTest {
    @TempDir
    Path dir;

    private static GgufBytes llama() {
        return new GgufBytes()
                .string("general.architecture", "llama")
                .u32("llama.embedding_length", 256)
                .u32("llama.block_count", 1)
                .u32("llama.feed_forward_length", 512)
                .u32("llama.attention.head_count", 4)
                .u32("llama.context_length", 64)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    }

    private void assertRefused(GgufBytes gguf, String... fragments) throws IOException {
        Path p = dir.resolve("bad.gguf");
        Files.write(p, gguf.build());
        assertThatThrownBy(() -> ModelLoader.loadWeights(p).close())
                .isInstanceOf(FornaxException.class)
                .hasMessageStartingWith(p.toString())
                .hasMessageContainingAll(fragments);
    }

    @Test
    void unknownOrInconsistentMetadataNamesTheKey() throws IOException {
        assertRefused(new GgufBytes().string("general.architecture", "mamba"),
                "metadata 'general.architecture' is 'mamba', which is not supported (supported: gemma, llama, phi3, qwen2, qwen3)");
        assertRefused(new GgufBytes().u32("x", 1), "metadata 'general.architecture' is missing");
        assertRefused(llama().u32("split.count", 3), "metadata 'split.count' 3: this is one part of a split model");
        assertRefused(new GgufBytes().string("general.architecture", "llama"), "metadata 'llama.embedding_length' is missing");
        assertRefused(llama().u32("llama.attention.head_count_kv", 3),
                "metadata 'llama.attention.head_count' 4 is not a multiple of llama.attention.head_count_kv 3");
        assertRefused(llama().string("llama.rope.scaling.type", "yarn"),
                "metadata 'llama.rope.scaling.type' is 'yarn', which is not supported");
        assertRefused(llama().u32("llama.rope.dimension_count", 32), "partial rotary embeddings are not supported");
        assertRefused(llama().u32("llama.expert_count", 8), "metadata 'llama.expert_count' 8: mixture-of-experts");
        assertRefused(llama().string("llama.rope.scaling.type", "llama3"), "is 'llama3' but the file has no 'rope_freqs.weight'");
        assertRefused(new GgufBytes().string("general.architecture", "llama").string("llama.embedding_length", "256"),
                "metadata 'llama.embedding_length' must be an integer, got string");
        assertRefused(llama(), "tensor 'token_embd.weight' is missing");
    }

    @Test
    void unsupportedTensorTypeNamesTensorAndType() throws IOException {
        assertRefused(llama().tensor("token_embd.weight", GgmlType.IQ2_XXS.id(), new byte[66 * 300], 256, 300),
                "tensor 'token_embd.weight' has type IQ2_XXS, which is not supported (supported: F32, F16, Q4_0, Q4_1,"
                        + " Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, BF16)");
        assertRefused(llama().tensor("token_embd.weight", 0, new byte[4 * 255 * 3], 255, 3),
                "tensor 'token_embd.weight' has shape [3, 255], expected [rows, 256]");
    }
}
