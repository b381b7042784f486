package dev.fornax.tokenizer;

import dev.fornax.FornaxException;
import dev.fornax.gguf.GgufFile;
import dev.fornax.io.InputFiles;
import dev.fornax.tokenizer.hf.GgufTokenizer;
import dev.fornax.tokenizer.hf.HfTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and opens tokenizers: HF {@code tokenizer.json}, llama2.c tokenizer {@code .bin}, or the
 * tokenizer inside a GGUF file.
 */
public final class Tokenizers {
    private static final String TOKENIZER_JSON = "tokenizer.json";
    private static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    private static final int LLAMA2C_HEADER_BYTES = 7 * 4;

    private Tokenizers() {}

    /**
     * Opens a tokenizer file: a {@code tokenizer.json} (with the {@code tokenizer_config.json} beside it,
     * if any) or a llama2.c tokenizer {@code .bin} (all its tokens; a checkpoint states how many there
     * should be, see {@link #findNextTo}).
     */
    public static Tokenizer open(Path file) {
        if (Files.isDirectory(file)) {
            throw new FornaxException(file + " is a directory; expected a tokenizer.json or a llama2.c tokenizer .bin");
        }
        InputFiles.requireRegular(file, "");
        if (isGguf(file)) {
            return GgufTokenizer.read(file);
        }
        if (startsWithJsonObject(file)) {
            Path config = file.resolveSibling(TOKENIZER_CONFIG);
            return HfTokenizer.load(file, InputFiles.optional(config) ? config : null);
        }
        if (llama2cVocabSize(file) > 0) {
            throw new FornaxException(file + " is a llama2.c model checkpoint, not a tokenizer; its tokenizer is a"
                    + " tok*.bin file next to it");
        }
        return Llama2cTokenizer.load(file);
    }

    /**
     * The tokenizer that belongs to a model, or null when there is none: for an HF model directory its
     * {@code tokenizer.json} (+ {@code tokenizer_config.json}); for a GGUF file its own
     * {@code tokenizer.ggml.*} metadata; for a llama2.c checkpoint a
     * {@code tok*.bin} in the same directory, read with the checkpoint's vocab_size.
     */
    public static Tokenizer findNextTo(Path model) {
        if (Files.isDirectory(model)) {
            Path json = model.resolve(TOKENIZER_JSON);
            if (!InputFiles.optional(json)) {
                return null;
            }
            Path config = model.resolve(TOKENIZER_CONFIG);
            return HfTokenizer.load(json, InputFiles.optional(config) ? config : null);
        }
        if (isGguf(model)) {
            try (GgufFile file = GgufFile.read(model)) {
                return GgufTokenizer.read(file);
            }
        }
        int vocabSize = llama2cVocabSize(model);
        if (vocabSize <= 0) {
            throw new FornaxException(model + " is neither an HF model directory nor a llama2.c checkpoint");
        }
        Path tokenizer = llama2cTokenizerBeside(model, vocabSize);
        return tokenizer == null ? null : Llama2cTokenizer.load(tokenizer, vocabSize);
    }

    /**
     * For commands taking "MODEL or tokenizer file": a model directory or llama2.c checkpoint gives the
     * tokenizer next to it (an error if there is none), anything else is opened as a tokenizer file.
     */
    public static Tokenizer forModelOrFile(Path path) {
        if (isGguf(path)) {
            return GgufTokenizer.read(path);
        }
        if (Files.isDirectory(path) || (Files.isRegularFile(path) && llama2cVocabSize(path) > 0)) {
            Tokenizer tokenizer = findNextTo(path);
            if (tokenizer == null) {
                throw new FornaxException("no tokenizer found for " + path + (Files.isDirectory(path)
                        ? " (no tokenizer.json in the directory)" : " (no tok*.bin next to the checkpoint)"));
            }
            return tokenizer;
        }
        return open(path);
    }

    /** tok{vocab}.bin, else tokenizer.bin, else the only tok*.bin; null when there is none. */
    private static Path llama2cTokenizerBeside(Path checkpoint, int vocabSize) {
        Path dir = checkpoint.toAbsolutePath().getParent();
        Path exact = dir.resolve("tok" + vocabSize + ".bin");
        if (Files.isRegularFile(exact)) {
            return exact;
        }
        Path standard = dir.resolve("tokenizer.bin");
        if (Files.isRegularFile(standard)) {
            return standard;
        }
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("tok") && name.endsWith(".bin") && Files.isRegularFile(p);
            }).sorted().forEach(candidates::add);
        } catch (IOException e) {
            throw new FornaxException(dir + ": cannot list: " + e.getMessage(), e);
        }
        if (candidates.size() > 1) {
            throw new FornaxException("several tokenizers next to " + checkpoint + ": " + candidates
                    + "; none is named tok" + vocabSize + ".bin or tokenizer.bin");
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    /**
     * The vocab size in a llama2.c (version 0) checkpoint header, or -1 if the file does not look like one:
     * 7 positive int32 (vocab_size may be negative: untied classifier) and a size that fits the weights.
     */
    static int llama2cVocabSize(Path file) {
        long size;
        byte[] header = new byte[LLAMA2C_HEADER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            if (in.readNBytes(header, 0, header.length) != header.length) {
                return -1;
            }
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read: " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long dim = b.getInt();
        long hidden = b.getInt();
        long layers = b.getInt();
        long heads = b.getInt();
        long kvHeads = b.getInt();
        long vocab = Math.abs((long) b.getInt());
        long seqLen = b.getInt();
        boolean plausible = dim > 0 && hidden > 0 && layers > 0 && heads > 0 && kvHeads > 0 && vocab > 0
                && seqLen > 0 && dim % heads == 0 && heads % kvHeads == 0 && dim < 1 << 20 && hidden < 1 << 22
                && layers < 1 << 12 && vocab < 1 << 24 && seqLen < 1 << 24;
        if (!plausible) {
            return -1;
        }
        // at least embeddings + per-layer attention and MLP weights must fit in the file
        long kvDim = dim * kvHeads / heads;
        long minFloats = vocab * dim + layers * (2 * dim * dim + 2 * dim * kvDim + 3 * dim * hidden);
        return size >= LLAMA2C_HEADER_BYTES + 4 * minFloats ? (int) vocab : -1;
    }

    /** A regular file named *.gguf or starting with the GGUF magic. */
    static boolean isGguf(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return Files.isRegularFile(file)
                && (name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") || GgufFile.hasMagic(file));
    }

    private static boolean startsWithJsonObject(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xEF || c == 0xBB || c == 0xBF);
            return c == '{';
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
