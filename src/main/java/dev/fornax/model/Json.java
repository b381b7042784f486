package dev.fornax.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading small JSON files (config.json, index.json) with errors that name the file. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static JsonNode read(Path file) {
        try {
            JsonNode node = MAPPER.readTree(Files.readString(file));
            if (node == null || !node.isObject()) {
                throw new FornaxException(file + ": not a JSON object");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new FornaxException(file + ": file not found");
        } catch (JsonProcessingException e) {
            throw new FornaxException(file + ": invalid JSON: " + e.getOriginalMessage().replace('\n', ' '));
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
