package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.model.LoadedWeights;
import dev.fornax.model.ModelLoader;
import java.nio.file.Path;

/**
 * model.safetensors.index.json: mutated index bytes next to the two valid shards and config.json of
 * the tiny llama; the loader follows weight_map to the shards (paths confined to the directory).
 */
class ShardIndexFuzzTest {
    @FuzzTest(maxDuration = "8s")
    @DictionaryEntries({"\"weight_map\"", "\"metadata\"", "\"total_size\"", "model-00001-of-00002.safetensors",
            "model-00002-of-00002.safetensors", "../", "/etc/hostname", "model.norm.weight", "model.embed_tokens.weight"})
    void shardIndex(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        FuzzSeeds.writeTinyShards(dir);
        FuzzProperty.write(dir.resolve("model.safetensors.index.json"), bytes);
        FuzzProperty.check(dir, () -> {
            try (LoadedWeights w = ModelLoader.loadWeights(dir)) {
                w.spec().parameters();
            }
        });
    }
}
