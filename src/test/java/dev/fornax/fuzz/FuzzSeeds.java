package dev.fornax.fuzz;

import dev.fornax.ir.Architecture;
import dev.fornax.model.Dtype;
import dev.fornax.model.TinyModel;
import dev.fornax.model.TinyWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The valid files the fuzz targets put next to the mutated one, and the seed corpus they start
 * from ({@link #main} writes src/test/resources/dev/fornax/fuzz/*Inputs/; rerun it after a format
 * change). The tiny llama: hidden 8, 1 layer, heads 2/1, intermediate 16, vocab 16, context 32, BF16.
 */
public final class FuzzSeeds {
    private static Map<String, byte[]> single;
    private static Map<String, byte[]> sharded;

    private FuzzSeeds() {}

    static TinyModel tiny() {
        return TinyModel.defaults(Architecture.LLAMA).with(8, 1, 2, 1, null, 16, 16, 32);
    }

    private static synchronized Map<String, byte[]> files(int shards) {
        Map<String, byte[]> cached = shards == 1 ? single : sharded;
        if (cached != null) {
            return cached;
        }
        try {
            Path tmp = Files.createTempDirectory("fornax-fuzz-seed");
            Path out = tmp.resolve("tiny");
            TinyWriter.write(tiny(), out, 7, Dtype.BF16, shards, false);
            Map<String, byte[]> m = new TreeMap<>();
            try (var s = Files.list(out)) {
                for (Path p : s.toList()) {
                    m.put(p.getFileName().toString(), Files.readAllBytes(p));
                    Files.delete(p);
                }
            }
            Files.delete(out);
            Files.delete(tmp);
            if (shards == 1) {
                single = m;
            } else {
                sharded = m;
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeTinyConfig(Path dir) {
        FuzzProperty.write(dir.resolve("config.json"), files(1).get("config.json"));
    }

    /** config.json and the two shards (no index: the target writes its own). */
    static void writeTinyShards(Path dir) {
        files(2).forEach((name, bytes) -> {
            if (!name.endsWith(".index.json")) {
                FuzzProperty.write(dir.resolve(name), bytes);
            }
        });
    }

    /** A small SentencePiece-style BPE (Llama 2 layout): byte fallback, Metaspace, template post-processor. */
    static byte[] sentencePieceTokenizerJson() {
        StringBuilder vocab = new StringBuilder("\"<unk>\": 0, \"<s>\": 1, \"</s>\": 2");
        int id = 3;
        for (int b = 0; b < 256; b++) {
            vocab.append(String.format(", \"<0x%02X>\": %d", b, id++));
        }
        for (String piece : new String[] {"\u2581", "a", "b", "l", "o", "\u2581a", "ab", "lo", "\u2581ab"}) {
            vocab.append(", \"").append(piece).append("\": ").append(id++);
        }
        String json = "{\"version\": \"1.0\", \"added_tokens\": ["
                + "{\"id\": 0, \"content\": \"<unk>\", \"special\": true, \"normalized\": false},"
                + "{\"id\": 1, \"content\": \"<s>\", \"special\": true, \"normalized\": false},"
                + "{\"id\": 2, \"content\": \"</s>\", \"special\": true, \"normalized\": false}],"
                + " \"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Prepend\", \"prepend\": \"\u2581\"},"
                + " {\"type\": \"Replace\", \"pattern\": {\"String\": \" \"}, \"content\": \"\u2581\"}]},"
                + " \"pre_tokenizer\": null,"
                + " \"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": [{\"SpecialToken\": {\"id\": \"<s>\", \"type_id\": 0}},"
                + " {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}], \"pair\": [], \"special_tokens\": {\"<s>\": {\"id\": \"<s>\", \"ids\": [1], \"tokens\": [\"<s>\"]}}},"
                + " \"decoder\": {\"type\": \"Sequence\", \"decoders\": [{\"type\": \"Replace\", \"pattern\": {\"String\": \"\u2581\"}, \"content\": \" \"},"
                + " {\"type\": \"ByteFallback\"}, {\"type\": \"Fuse\"}, {\"type\": \"Strip\", \"content\": \" \", \"start\": 1, \"stop\": 0}]},"
                + " \"model\": {\"type\": \"BPE\", \"dropout\": null, \"unk_token\": \"<unk>\", \"fuse_unk\": true, \"byte_fallback\": true,"
                + " \"vocab\": {" + vocab + "}, \"merges\": [\"\u2581 a\", \"a b\", \"l o\", \"\u2581a b\"]}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A byte-level BPE (GPT-2 / Qwen2 layout) with a Split regex pre-tokenizer. */
    static byte[] byteLevelTokenizerJson() {
        String json = "{\"added_tokens\": [{\"id\": 12, \"content\": \"<|endoftext|>\", \"special\": true, \"normalized\": false}],"
                + " \"normalizer\": {\"type\": \"NFC\"},"
                + " \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": ["
                + "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+\"}, \"behavior\": \"Isolated\", \"invert\": false},"
                + " {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false}]},"
                + " \"post_processor\": {\"type\": \"ByteLevel\"}, \"decoder\": {\"type\": \"ByteLevel\"},"
                + " \"model\": {\"type\": \"BPE\", \"vocab\": {\"H\": 0, \"e\": 1, \"l\": 2, \"o\": 3, \"\u0120\": 4, \"w\": 5,"
                + " \"r\": 6, \"d\": 7, \"He\": 8, \"ll\": 9, \"\u0120w\": 10, \"1\": 11}, \"merges\": [\"H e\", \"l l\", \"\u0120 w\"]}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the seed corpus (run from the repository root). */
    public static void main(String[] args) throws Exception {
        Path root = Path.of("src/test/resources/dev/fornax/fuzz");
        seed(root, "SafetensorsFuzzTest", "safetensorsFile", "tiny-bf16.safetensors", files(1).get("model.safetensors"));
        for (Map.Entry<String, byte[]> e : files(2).entrySet()) {
            if (e.getKey().endsWith(".index.json")) {
                seed(root, "ShardIndexFuzzTest", "shardIndex", "index.json", e.getValue());
            }
        }
        byte[] config = files(1).get("config.json");
        byte[] generation = "{\"bos_token_id\": 1, \"eos_token_id\": [2, 3]}".getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[config.length + 1 + generation.length]; // NUL between the two files
        System.arraycopy(config, 0, both, 0, config.length);
        System.arraycopy(generation, 0, both, config.length + 1, generation.length);
        seed(root, "HfConfigFuzzTest", "configAndGenerationConfig", "tiny-config-and-generation", both);
        seed(root, "HfConfigFuzzTest", "configAndGenerationConfig", "tiny-config", config);
        seed(root, "TokenizerJsonFuzzTest", "tokenizerJson", "sentencepiece.json", sentencePieceTokenizerJson());
        seed(root, "TokenizerJsonFuzzTest", "tokenizerJson", "bytelevel.json", byteLevelTokenizerJson());
        seed(root, "TokenizerConfigFuzzTest", "tokenizerConfig", "llama.json",
                "{\"tokenizer_class\": \"LlamaTokenizer\", \"add_bos_token\": true, \"add_eos_token\": true, \"bos_token\": \"<s>\", \"eos_token\": {\"content\": \"</s>\"}}"
                        .getBytes(StandardCharsets.UTF_8));
        seed(root, "Llama2cCheckpointFuzzTest", "checkpoint", "tiny-shared.bin", llama2c(8, 16, 1, 2, 1, 16, 4));
        seed(root, "Llama2cCheckpointFuzzTest", "checkpoint", "tiny-untied.bin", llama2c(8, 16, 1, 2, 2, -16, 4));
        seed(root, "Llama2cTokenizerFuzzTest", "tokenizer", "tok-head.bin", java.util.Arrays.copyOf(
                Files.readAllBytes(Path.of("models/stories260K/tok512.bin")), 4000));
        seed(root, "GgufFuzzTest", "gguf", "tiny-llama.gguf", dev.fornax.gguf.GgufSeeds.tinyLlama());
        Path design = Files.createTempDirectory("fornax-fuzz-design").resolve("d");
        if (dev.fornax.cli.Main.run("compile", "models/stories260K/stories260K.bin", "-o", design.toString()) != 0) {
            throw new IllegalStateException("compile failed");
        }
        String manifest = Files.readString(design.resolve("manifest.json"))
                .replace(Path.of("models/stories260K/stories260K.bin").toAbsolutePath().toString(), "stories260K.bin");
        seed(root, "ManifestFuzzTest", "manifest", "stories260K-rom.json", manifest.getBytes(StandardCharsets.UTF_8));
        // the CLI target reads choices from the bytes: any bytes are a command line; a few to start from
        for (int i = 0; i < 4; i++) {
            byte[] b = new byte[64];
            new java.util.SplittableRandom(100 + i).nextBytes(b);
            seed(root, "CliOptionsFuzzTest", "commandLine", "random-" + i, b);
        }
    }

    /** A llama2.c v0 checkpoint with the given header and deterministic small weights (norms 1). */
    static byte[] llama2c(int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen) {
        int hs = dim / heads;
        long floats = (long) Math.abs(vocab) * dim * (vocab < 0 ? 2 : 1)
                + (long) layers * (2L * dim + 2L * dim * dim + 2L * kvHeads * hs * dim + 3L * dim * hidden) + dim
                + (long) seqLen * hs;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (28 + 4 * floats)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {dim, hidden, layers, heads, kvHeads, vocab, seqLen}) {
            b.putInt(v);
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        while (b.hasRemaining()) {
            b.putFloat((float) (r.nextDouble() * 0.1 - 0.05));
        }
        return b.array();
    }

    private static void seed(Path root, String test, String method, String name, byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(root.resolve(test + "Inputs").resolve(method));
        Files.write(dir.resolve(name), bytes);
    }
}
