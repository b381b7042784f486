package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.gguf.GgufFile;
import dev.fornax.io.InputFiles;
import dev.fornax.ir.ModelWeights;
import dev.fornax.tokenizer.Tokenizer;
import dev.fornax.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a model: an HF directory (config.json + safetensors, maybe sharded), a GGUF file or a
 * llama2.c .bin checkpoint. The tokenizer is found next to it (tokenizer.json / tok*.bin) or, for
 * GGUF, in the file's own {@code tokenizer.ggml.*} metadata, unless given.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /**
     * @param path      HF model directory, GGUF file or llama2.c checkpoint file
     * @param tokenizer explicit tokenizer file, or null to look next to the model
     */
    public static LoadedModel load(Path path, Path tokenizer) {
        ModelWeights weights = loadWeights(path);
        try {
            Tokenizer tok = tokenizer != null ? Tokenizers.open(tokenizer) : Tokenizers.findNextTo(modelLocation(path));
            if (tok != null) {
                requireIdsFit(tok, weights.spec().vocab(), path);
            }
            return new LoadedModel(path, weights, tok);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /**
     * Every id the tokenizer can produce must index the model's embedding: an added token whose id
     * lies beyond vocab_size would encode but could never be fed to the model (or decoded back
     * from its logits). Refused at load, naming the token.
     */
    static void requireIdsFit(Tokenizer tok, int vocab, Path model) {
        int top = tok.vocabSize() - 1;
        if (top >= vocab) {
            Path file = tok.file();
            throw new FornaxException((file == null ? "the tokenizer of " + model : file.toString()) + ": "
                    + tok.describe(top) + " is outside the vocabulary of the model " + model + " (" + vocab
                    + " ids, 0.." + (vocab - 1) + ")");
        }
    }

    /** Weights only: an HF directory (or a file inside one), a GGUF file or a llama2.c checkpoint. */
    public static LoadedWeights loadWeights(Path path) {
        if (!Files.exists(path)) {
            String problem = InputFiles.problem(path);
            throw new FornaxException(dev.fornax.io.Printable.of(path.toString()) + (problem.startsWith("is ") ? " " : ": ")
                    + (problem.equals("no such file") ? "no such file or directory" : problem));
        }
        if (!Files.isDirectory(path)) {
            InputFiles.requireRegular(path, ""); // a FIFO would block the read: refused before it is opened
        }
        Path location = modelLocation(path);
        if (Files.isDirectory(location)) {
            return HfModelReader.read(location);
        }
        return isGguf(location) ? GgufModelReader.read(location) : Llama2cReader.read(location);
    }

    /** A file starting with the GGUF magic, or named *.gguf (then a wrong magic is reported by the reader). */
    public static boolean isGguf(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        return Files.isRegularFile(path) && (name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")
                || GgufFile.hasMagic(path));
    }

    /** The HF directory when given one of its files (config.json, a .safetensors, the index), else the path. */
    private static Path modelLocation(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        boolean hfFile = name.equals(HfConfig.CONFIG) || name.endsWith(".safetensors") || name.equals(HfTensors.INDEX);
        return hfFile && Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : path;
    }
}
