package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.ir.ModelSpec;
import dev.fornax.model.HfConfig;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * config.json and generation_config.json: the input up to its first NUL byte is config.json, the
 * rest (when there is a NUL) generation_config.json; HfConfig.read maps them to a ModelSpec as
 * transformers 4.44 would, or refuses naming the file and field.
 */
class HfConfigFuzzTest {
    @FuzzTest(maxDuration = "8s")
    @DictionaryEntries({"\"model_type\"", "\"llama\"", "\"qwen2\"", "\"phi3\"", "\"gemma\"", "\"hidden_size\"",
            "\"num_hidden_layers\"", "\"num_attention_heads\"", "\"num_key_value_heads\"", "\"intermediate_size\"",
            "\"vocab_size\"", "\"head_dim\"", "\"rope_scaling\"", "\"rope_type\"", "\"llama3\"", "\"linear\"",
            "\"factor\"", "\"eos_token_id\"", "\"bos_token_id\"", "\"tie_word_embeddings\"", "\"rms_norm_eps\"",
            "\"max_position_embeddings\"", "\"hidden_act\"", "\"hidden_activation\"", "2147483647", "1e308", "null"})
    void configAndGenerationConfig(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        int nul = 0;
        while (nul < bytes.length && bytes[nul] != 0) {
            nul++;
        }
        FuzzProperty.write(dir.resolve("config.json"), Arrays.copyOf(bytes, nul));
        if (nul < bytes.length) {
            FuzzProperty.write(dir.resolve("generation_config.json"), Arrays.copyOfRange(bytes, nul + 1, bytes.length));
        }
        FuzzProperty.check(dir, () -> {
            ModelSpec s = HfConfig.read(dir);
            s.parameters();
            s.qDim();
        });
    }
}
