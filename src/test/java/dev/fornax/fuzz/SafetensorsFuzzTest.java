package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.model.LoadedWeights;
import dev.fornax.model.ModelLoader;
import dev.fornax.model.SafetensorsFile;
import dev.fornax.model.WeightCheck;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The safetensors header and data layout: mutated model.safetensors bytes next to a valid config.json
 * of a tiny llama (FuzzSeeds.TINY). Opens the file, maps every tensor, then loads the model
 * (names, shapes, dtypes against the config) and reads every weight (NaN checks).
 */
class SafetensorsFuzzTest {
    @FuzzTest(maxDuration = "8s")
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"BF16\"",
            "\"F16\"", "\"I8\"", "\"F64\"", "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight",
            "model.layers.0.self_attn.q_proj.weight", "18446744073709551615", "9223372036854775807", "-1"})
    void safetensorsFile(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        FuzzSeeds.writeTinyConfig(dir);
        Path file = FuzzProperty.write(dir.resolve("model.safetensors"), bytes);
        FuzzProperty.check(dir, () -> {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                for (SafetensorsFile.Entry e : f.entries().values()) {
                    ByteBuffer b = f.map(e, 0, Math.min(e.byteLength(), 64));
                    while (b.hasRemaining()) {
                        b.get();
                    }
                }
            }
            try (LoadedWeights w = ModelLoader.loadWeights(dir)) {
                WeightCheck.requireFinite(w);
            }
        });
    }
}
