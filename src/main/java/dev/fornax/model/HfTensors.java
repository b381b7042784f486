package dev.fornax.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.ir.Matrix;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tensors of an HF model directory: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json}'s {@code weight_map} (every tensor is looked up there: one
 * layer's tensors may sit in different shards). Tracks which tensors were used, so that tensors the
 * model would silently ignore are reported.
 */
final class HfTensors implements AutoCloseable {
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";

    private final Path dir;
    private final Map<String, SafetensorsFile> fileOf;
    private final List<SafetensorsFile> files;
    private final Set<String> used = new HashSet<>();
    private final Set<Dtype> dtypes = new TreeSet<>();

    private HfTensors(Path dir, Map<String, SafetensorsFile> fileOf, List<SafetensorsFile> files) {
        this.dir = dir;
        this.fileOf = fileOf;
        this.files = files;
    }

    static HfTensors open(Path dir) {
        Path single = dir.resolve(SINGLE);
        Path index = dir.resolve(INDEX);
        // Like transformers' from_pretrained: a single model.safetensors wins over an index.
        if (dev.fornax.io.InputFiles.optional(single)) {
            SafetensorsFile f = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> fileOf = new TreeMap<>();
            f.entries().keySet().forEach(n -> fileOf.put(n, f));
            return new HfTensors(dir, fileOf, List.of(f));
        }
        if (dev.fornax.io.InputFiles.optional(index)) {
            return openSharded(dir, index);
        }
        String hint = Files.exists(dir.resolve("pytorch_model.bin"))
                ? " (pytorch_model.bin is not supported: convert the weights to safetensors)"
                : "";
        throw new FornaxException(dir + ": no " + SINGLE + " or " + INDEX + hint);
    }

    private static HfTensors openSharded(Path dir, Path index) {
        JsonNode root = Json.read(index);
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new FornaxException(index + ": no weight_map object");
        }
        Map<String, SafetensorsFile> shards = new TreeMap<>();
        Map<String, SafetensorsFile> fileOf = new TreeMap<>();
        try {
            for (var e : map.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new FornaxException(index + ": weight_map entry '" + e.getKey() + "' is not a file name");
                }
                String shardName = e.getValue().asText();
                Path shardPath = dir.resolve(shardName).normalize();
                if (!dir.toAbsolutePath().normalize().equals(shardPath.toAbsolutePath().getParent())) {
                    throw new FornaxException(index + ": shard '" + shardName + "' is not a file in " + dir);
                }
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new FornaxException(index + ": tensor '" + e.getKey() + "' is mapped to missing shard " + shardPath);
                    }
                    shard = SafetensorsFile.open(shardPath);
                    shards.put(shardName, shard);
                }
                if (shard.entry(e.getKey()) == null) {
                    throw new FornaxException(index + ": tensor '" + e.getKey() + "' is mapped to " + shardName
                            + ", which has no such tensor");
                }
                fileOf.put(e.getKey(), shard);
            }
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new HfTensors(dir, fileOf, new ArrayList<>(shards.values()));
    }

    boolean has(String name) {
        return fileOf.containsKey(name);
    }

    /** A 2-D tensor of exactly [rows × cols]; {@code why} says where the expected shape comes from. */
    Matrix matrix(String name, int rows, int cols, String why) {
        SafetensorsFile f = require(name);
        SafetensorsFile.Entry e = f.entry(name);
        checkShape(f, e, new long[] {rows, cols}, why);
        MappedMatrix m = MappedMatrix.map(name, f.file(), f.channel(), f.position(e), e.dtype(), rows, cols);
        dtypes.add(e.dtype());
        return m;
    }

    /** A 1-D tensor, decoded now and checked to be finite. */
    float[] vector(String name, int length, String why) {
        SafetensorsFile f = require(name);
        SafetensorsFile.Entry e = f.entry(name);
        checkShape(f, e, new long[] {length}, why);
        if (!e.dtype().decodable()) {
            throw new FornaxException(f.file() + ": tensor '" + name + "' has dtype " + e.dtype()
                    + "; supported: " + Dtype.decodableNames());
        }
        ByteBuffer buf = f.map(e, 0, e.byteLength());
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = switch (e.dtype()) {
                case F32 -> buf.getFloat(4 * i);
                case BF16 -> HalfFloats.bf16ToFloat(buf.getShort(2 * i));
                case F16 -> HalfFloats.f16ToFloat(buf.getShort(2 * i));
                default -> throw new AssertionError(e.dtype());
            };
        }
        dtypes.add(e.dtype());
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(out[i])) {
                throw new FornaxException(f.file() + ": tensor '" + name + "' contains "
                        + (Float.isNaN(out[i]) ? "NaN" : "an infinity") + " at index " + i);
            }
        }
        return out;
    }

    private SafetensorsFile require(String name) {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) {
            throw new FornaxException(dir + ": tensor '" + name + "' is missing");
        }
        used.add(name);
        return f;
    }

    private static void checkShape(SafetensorsFile f, SafetensorsFile.Entry e, long[] expected, String why) {
        if (!Arrays.equals(e.shape(), expected)) {
            throw new FornaxException(f.file() + ": tensor '" + e.name() + "' has shape " + e.shapeString()
                    + ", expected " + Arrays.toString(expected) + " (" + why + ")");
        }
    }

    /** Tensors present but never requested, in name order. */
    List<String> unused() {
        List<String> out = new ArrayList<>();
        for (String name : fileOf.keySet()) {
            if (!used.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    int tensorCount() {
        return fileOf.size();
    }

    int fileCount() {
        return files.size();
    }

    /** The dtypes read, e.g. "BF16" or "BF16+F32". */
    String storage() {
        List<String> names = new ArrayList<>();
        dtypes.forEach(d -> names.add(d.name()));
        return String.join("+", names);
    }

    Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach(f -> out.putAll(f.metadata()));
        return out;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
