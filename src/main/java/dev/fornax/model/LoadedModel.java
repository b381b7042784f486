package dev.fornax.model;

import dev.fornax.ir.ModelWeights;
import dev.fornax.tokenizer.Tokenizer;
import java.nio.file.Path;

/** A model as the CLI sees it: weights plus its tokenizer (null when none was found). */
public record LoadedModel(Path source, ModelWeights weights, Tokenizer tokenizer) implements AutoCloseable {
    @Override
    public void close() {
        weights.close();
    }
}
