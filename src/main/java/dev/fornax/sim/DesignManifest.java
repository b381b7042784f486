package dev.fornax.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.io.JsonFiles;
import dev.fornax.rtl.DesignInfo;
import dev.fornax.rtl.DramRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a compiled design's manifest.json that simulation needs: the {@link DesignInfo}
 * (top-level keys top, rtl, include_dirs, token_width, vocab, context, lanes, weights,
 * axi_data_width, axi_addr_width, dram_image, mem_files, as dev.fornax.rtl writes them) and where
 * the source model is (model.source, model.tokenizer), so verify can rebuild the golden model.
 *
 * @param modelSource the model the design was compiled from, resolved against the design directory
 *                    (null when the manifest does not say)
 * @param tokenizer   the tokenizer file given at compile time, or null
 */
public record DesignManifest(Path dir, DesignInfo design, Path modelSource, Path tokenizer, JsonNode json) {

    public static DesignManifest read(Path dir) {
        Path file = dir.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            throw new FornaxException(dir + " is not a compiled design: " + file + " is missing (run fornax compile first)");
        }
        JsonNode m = JsonFiles.readObject(file); // strict UTF-8, JSON limits, no duplicate keys
        String weights = text(m, file, "weights", true);
        boolean dram = "dram".equals(weights);
        DesignInfo info = new DesignInfo(
                text(m, file, "top", true),
                strings(m, file, "rtl", true),
                strings(m, file, "include_dirs", false),
                integer(m, file, "token_width", true),
                integer(m, file, "vocab", true),
                integer(m, file, "context", true),
                integer(m, file, "lanes", true),
                weights,
                integer(m, file, "axi_data_width", dram),
                integer(m, file, "axi_addr_width", dram),
                text(m, file, "dram_image", dram),
                strings(m, file, "mem_files", false),
                regions(m, file),
                integer(m, file, "axi_max_burst", false));
        try {
            TestbenchWriter.validate(info, dir);
        } catch (FornaxException e) {
            throw new FornaxException(file + ": " + e.getMessage(), e);
        }
        // a manifest is data: none of its paths may lead out of the design directory
        info.rtlFiles().forEach(f -> DesignFiles.confined(dir, f, file, "rtl"));
        info.includeDirs().forEach(f -> DesignFiles.confined(dir, f, file, "include_dirs"));
        info.memFiles().forEach(f -> DesignFiles.confined(dir, f, file, "mem_files"));
        if (info.dramImage() != null) {
            DesignFiles.confined(dir, info.dramImage(), file, "dram_image");
        }
        JsonNode model = m.path("model");
        Path source = modelPath(dir, file, model, "source");
        Path tok = modelPath(dir, file, model, "tokenizer");
        return new DesignManifest(dir, info, source, tok, m);
    }

    /** model.source / model.tokenizer: outside the design (the model it came from), resolved against it. */
    private static Path modelPath(Path dir, Path file, JsonNode model, String key) {
        JsonNode n = model.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new FornaxException(file + ": field 'model." + key + "' must be a string");
        }
        try {
            return dir.resolve(n.asText()).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new FornaxException(file + ": model." + key + " '" + JsonFiles.shorten(n.asText(), 100) + "' is not a path");
        }
    }

    /**
     * Every file of the design still as compiled: the sha256 map of manifest.json checked file by
     * file, its size first when file_bytes records it (the testbench may be missing: verify writes
     * it again, byte for byte), and every file the
     * manifest points to covered by it. Names the first file that is missing or differs. Verify
     * calls this before it loads the model, builds or simulates anything.
     */
    public void requireIntact() {
        Path file = dir.resolve("manifest.json");
        JsonNode h = json.get("sha256");
        if (h == null || !h.isObject() || h.isEmpty()) {
            throw new FornaxException(file + " has no sha256 map, so the design's files cannot be checked"
                    + " (written by an older fornax?); recompile the design with fornax compile");
        }
        java.util.Map<String, String> hashes = new java.util.TreeMap<>();
        for (var e : h.properties()) {
            if (!e.getValue().isTextual() || !e.getValue().asText().matches("[0-9a-fA-F]{64}")) {
                throw new FornaxException(file + ": sha256 of '" + JsonFiles.shorten(e.getKey(), 100)
                        + "' is not a SHA-256 (64 hex digits)");
            }
            hashes.put(e.getKey(), e.getValue().asText());
        }
        List<String> referenced = new ArrayList<>(design.rtlFiles());
        referenced.addAll(design.memFiles());
        referenced.addAll(BuildCache.includeFiles(dir, design.includeDirs()));
        if (design.dramImage() != null) {
            referenced.add(design.dramImage());
        }
        for (String f : referenced) {
            if (!hashes.containsKey(Path.of(f).normalize().toString())) {
                throw new FornaxException(file + ": '" + JsonFiles.shorten(f, 100) + "' is part of the design but has no"
                        + " sha256; recompile the design with fornax compile");
            }
        }
        // file_bytes (since 2026-12-04) lets a truncated file be called truncated; older manifests lack it
        java.util.Map<String, Long> sizes = new java.util.TreeMap<>();
        JsonNode b = json.get("file_bytes");
        if (b != null && b.isObject()) {
            for (var e : b.properties()) {
                if (!e.getValue().canConvertToLong() || !e.getValue().isIntegralNumber() || e.getValue().asLong() < 0) {
                    throw new FornaxException(file + ": file_bytes of '" + JsonFiles.shorten(e.getKey(), 100)
                            + "' is not a size in bytes");
                }
                sizes.put(e.getKey(), e.getValue().asLong());
            }
        }
        // the report (report.html, report/*.json, synth.json) is rewritten by later commands, verify itself
        // included: not part of what was compiled, whatever the map says
        hashes.keySet().removeIf(rel -> rel.equals(dev.fornax.report.Report.HTML) || rel.equals(dev.fornax.report.Report.SYNTH)
                || rel.startsWith(dev.fornax.report.Report.PARTS + "/"));
        DesignFiles.requireIntact(dir, hashes, sizes, file, rel -> rel.startsWith("tb/") || rel.equals("Makefile"));
    }

    /** The source model, or a user error saying the manifest lacks it / the file is gone. */
    public Path requireModelSource() {
        if (modelSource == null) {
            throw new FornaxException(dir.resolve("manifest.json") + " does not name the source model (model.source); give it with --model MODEL");
        }
        if (!Files.exists(modelSource)) {
            throw new FornaxException(dir.resolve("manifest.json") + ": the design's source model " + modelSource
                    + " (model.source) no longer exists; give it with --model MODEL");
        }
        return modelSource;
    }

    private static JsonNode field(JsonNode m, Path file, String key, boolean required) {
        JsonNode n = m.get(key);
        if ((n == null || n.isNull()) && required) {
            throw new FornaxException(file + ": missing field '" + key + "'");
        }
        return n == null || n.isNull() ? null : n;
    }

    private static String text(JsonNode m, Path file, String key, boolean required) {
        JsonNode n = field(m, file, key, required);
        if (n != null && !n.isTextual()) {
            throw new FornaxException(file + ": field '" + key + "' must be a string");
        }
        return n == null ? null : n.asText();
    }

    private static int integer(JsonNode m, Path file, String key, boolean required) {
        JsonNode n = field(m, file, key, required);
        if (n == null) {
            return 0;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new FornaxException(file + ": field '" + key + "' must be an integer");
        }
        return n.asInt();
    }

    /**
     * dram_regions: [{file, offset, bytes}, ...], one per AXI read port; absent in manifests of
     * designs before it (one port over dram_image).
     */
    private static List<DramRegion> regions(JsonNode m, Path file) {
        JsonNode n = field(m, file, "dram_regions", false);
        List<DramRegion> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            throw new FornaxException(file + ": field 'dram_regions' must be a list");
        }
        for (JsonNode e : n) {
            JsonNode f = e.get("file");
            JsonNode off = e.get("offset");
            JsonNode bytes = e.get("bytes");
            if (f == null || !f.isTextual() || off == null || bytes == null || !off.canConvertToLong()
                    || !bytes.canConvertToLong() || !off.isIntegralNumber() || !bytes.isIntegralNumber()) {
                throw new FornaxException(file + ": every entry of 'dram_regions' needs a string 'file' and integer 'offset' and 'bytes'");
            }
            try {
                out.add(new DramRegion(f.asText(), off.asLong(), bytes.asLong()));
            } catch (IllegalArgumentException ex) {
                throw new FornaxException(file + ": " + ex.getMessage());
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode m, Path file, String key, boolean required) {
        JsonNode n = field(m, file, key, required);
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            throw new FornaxException(file + ": field '" + key + "' must be a list of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new FornaxException(file + ": field '" + key + "' must be a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }
}
