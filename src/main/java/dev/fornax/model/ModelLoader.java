package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.ir.ModelWeights;
import dev.fornax.tokenizer.Tokenizer;
import dev.fornax.tokenizer.Tokenizers;
import java.nio.file.Files;
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
        ModelWeights weights = loadWeights(path);
        return new LoadedModel(path, weights, openTokenizer(path, tokenizer));
    }

    /** Weights only: an HF directory (or a file inside one) or a llama2.c checkpoint. */
    public static LoadedWeights loadWeights(Path path) {
        if (!Files.exists(path)) {
            throw new FornaxException(path + ": no such file or directory");
        }
        if (Files.isDirectory(path)) {
            return HfModelReader.read(path);
        }
        String name = path.getFileName().toString();
        if (name.equals(HfConfig.CONFIG) || name.endsWith(".safetensors") || name.equals(HfTensors.INDEX)) {
            Path dir = path.toAbsolutePath().getParent();
            return HfModelReader.read(dir);
        }
        return Llama2cReader.read(path);
    }

    private static Tokenizer openTokenizer(Path model, Path explicit) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new FornaxException(explicit + ": tokenizer file not found");
            }
            return Tokenizers.open(explicit);
        }
        return Tokenizers.findNextTo(model);
    }
}
