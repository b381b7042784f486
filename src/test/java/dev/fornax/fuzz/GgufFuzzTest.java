package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.gguf.GgufFile;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.model.WeightCheck;
import java.nio.file.Path;

/**
 * A GGUF file: the container (header, metadata, tensor infos, alignment, data), then the model and
 * tokenizer metadata and every weight dequantised.
 */
class GgufFuzzTest {
    @FuzzTest(maxDuration = "8s")
    @DictionaryEntries({"GGUF", "general.architecture", "general.alignment", "llama", "qwen2", "gemma", "phi3",
            "tokenizer.ggml.model", "tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type",
            "tokenizer.ggml.merges", "token_embd.weight", "output_norm.weight", "blk.0.attn_q.weight"})
    void gguf(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        Path file = FuzzProperty.write(dir.resolve("model.gguf"), bytes);
        FuzzProperty.check(file, () -> {
            try (GgufFile g = GgufFile.read(file)) {
                g.tensors();
            }
            try (LoadedModel m = ModelLoader.load(file, null)) {
                WeightCheck.requireFinite(m.weights());
                if (m.tokenizer() != null) {
                    TokenizerJsonFuzzTest.exercise(m.tokenizer());
                }
            }
        });
    }
}
