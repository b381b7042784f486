package dev.fornax.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.io.JsonFiles;
import java.nio.file.Path;

/** Reading small JSON files (config.json, index.json) with errors that name the file ({@link JsonFiles}). */
final class Json {
    /** For writing (tiny's config.json and index): plain Jackson, output unchanged. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** The file as a JSON object: strict UTF-8, size and nesting limits, no duplicate keys. */
    static JsonNode read(Path file) {
        return JsonFiles.readObject(file);
    }
}
