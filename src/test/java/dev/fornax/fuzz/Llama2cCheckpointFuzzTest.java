package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.model.WeightCheck;
import java.nio.file.Path;

/** A llama2.c checkpoint: the 7-int header (exact size arithmetic) and the weights it describes. */
class Llama2cCheckpointFuzzTest {
    @FuzzTest(maxDuration = "8s")
    void checkpoint(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        Path file = FuzzProperty.write(dir.resolve("model.bin"), bytes);
        FuzzProperty.check(file, () -> {
            try (LoadedModel m = ModelLoader.load(file, null)) {
                WeightCheck.requireFinite(m.weights());
            }
        });
    }
}
