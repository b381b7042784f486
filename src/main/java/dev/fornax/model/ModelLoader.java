package dev.fornax.model;

import dev.fornax.FornaxException;
import java.nio.file.Path;

/**
 * Opens a model: an HF directory (config.json + safetensors, maybe sharded) or a llama2.c .bin
 * checkpoint. The tokenizer is found next to it (tokenizer.json / tok*.bin) unless given.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /**
     * @param path      HF model directory or llama2.c checkpoint file
     * @param tokenizer explicit tokenizer file, or null to look next to the model
     */
    public static LoadedModel load(Path path, Path tokenizer) {
        throw new FornaxException("model loading is not implemented yet: " + path);
    }
}
