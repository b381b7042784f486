package dev.fornax.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of a repository a Fornax model needs, and no others: config.json, the weights
 * (model.safetensors, else model.safetensors.index.json and the shards its weight_map names — a
 * single file wins, as in transformers), and when the repository has them generation_config.json,
 * tokenizer.json and tokenizer_config.json.
 */
final class ModelFiles {
    static final String CONFIG = "config.json";
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";
    static final List<String> OPTIONAL = List.of("generation_config.json", "tokenizer.json", "tokenizer_config.json");

    private ModelFiles() {}

    /** What to fetch before the shards are known: config, optional files present, weights or their index. */
    static List<String> first(RepoRef ref, Set<String> files) {
        if (!files.contains(CONFIG)) {
            throw new FornaxException(ref + " has no " + CONFIG + " (is it a model repository in the transformers layout?)");
        }
        List<String> wanted = new ArrayList<>(List.of(CONFIG));
        OPTIONAL.stream().filter(files::contains).forEach(wanted::add);
        if (files.contains(SINGLE)) {
            wanted.add(SINGLE);
        } else if (files.contains(INDEX)) {
            wanted.add(INDEX);
        } else {
            String hint = files.contains("pytorch_model.bin") || files.stream().anyMatch(f -> f.startsWith("pytorch_model"))
                    ? " (only pytorch_model.bin; Fornax reads safetensors)" : "";
            throw new FornaxException(ref + " has no " + SINGLE + " or " + INDEX + hint);
        }
        return wanted;
    }

    /** The shard files named in an index's weight_map, sorted and each once. */
    static List<String> shards(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new FornaxException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new FornaxException(index + ": no weight_map object");
        }
        Set<String> shards = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String f = e.getValue().isTextual() ? e.getValue().asText() : "";
            if (f.isEmpty() || f.startsWith("/") || f.contains("..") || f.contains("\\")) {
                throw new FornaxException(index + ": weight_map entry '" + e.getKey() + "' does not name a file in the repository");
            }
            shards.add(f);
        }
        return List.copyOf(shards);
    }

    /** The first needed file missing from a cached snapshot, or null when it holds a complete model. */
    static String missing(Path snapshot) {
        if (!Files.isRegularFile(snapshot.resolve(CONFIG))) {
            return CONFIG;
        }
        if (Files.isRegularFile(snapshot.resolve(SINGLE))) {
            return null;
        }
        Path index = snapshot.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            return SINGLE;
        }
        for (String shard : shards(index)) {
            if (!Files.isRegularFile(snapshot.resolve(shard))) {
                return shard;
            }
        }
        return null;
    }
}
