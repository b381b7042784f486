package dev.fornax.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.io.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Typed access to the fields of a JSON config, with errors that name the file and the field. */
final class ConfigFields {
    private final Path file;
    private final JsonNode root;
    private final String prefix;

    ConfigFields(Path file, JsonNode root) {
        this(file, root, "");
    }

    /** Fields of a nested object; {@code prefix} (e.g. "rope_scaling.") is put before field names in errors. */
    ConfigFields(Path file, JsonNode root, String prefix) {
        this.file = file;
        this.root = root;
        this.prefix = prefix;
    }

    Path file() {
        return file;
    }

    /** The field, or null when absent or JSON null. */
    JsonNode get(String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String field) {
        return get(field) != null;
    }

    FornaxException error(String field, String problem) {
        return new FornaxException(file + ": " + prefix + field + " " + problem);
    }

    String requireString(String field) {
        JsonNode n = get(field);
        if (n == null) {
            throw error(field, "is missing");
        }
        if (!n.isTextual()) {
            throw error(field, "must be a string, got " + JsonFiles.shown(n));
        }
        return n.asText();
    }

    String optString(String field, String dflt) {
        return has(field) ? requireString(field) : dflt;
    }

    int requirePositiveInt(String field) {
        JsonNode n = get(field);
        if (n == null) {
            throw error(field, "is missing");
        }
        return positiveInt(field, n);
    }

    int optPositiveInt(String field, int dflt) {
        JsonNode n = get(field);
        return n == null ? dflt : positiveInt(field, n);
    }

    private int positiveInt(String field, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
            throw error(field, "must be a positive integer, got " + JsonFiles.shown(n));
        }
        return n.asInt();
    }

    double requirePositiveDouble(String field) {
        JsonNode n = get(field);
        if (n == null) {
            throw error(field, "is missing");
        }
        return positiveDouble(field, n);
    }

    double optPositiveDouble(String field, double dflt) {
        JsonNode n = get(field);
        return n == null ? dflt : positiveDouble(field, n);
    }

    private double positiveDouble(String field, JsonNode n) {
        if (!n.isNumber() || !(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
            throw error(field, "must be a positive number, got " + JsonFiles.shown(n));
        }
        return n.asDouble();
    }

    boolean optBoolean(String field, boolean dflt) {
        JsonNode n = get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw error(field, "must be true or false, got " + JsonFiles.shown(n));
        }
        return n.asBoolean();
    }

    /** A token id, or -1 when absent/null. */
    int optTokenId(String field) {
        JsonNode n = get(field);
        if (n == null) {
            return -1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
            throw error(field, "must be a token id, got " + JsonFiles.shown(n));
        }
        return n.asInt();
    }

    /** An int or a list of ints (HF allows both for eos_token_id); empty when absent/null. */
    List<Integer> optTokenIds(String field) {
        JsonNode n = get(field);
        List<Integer> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < 0) {
                    throw error(field, "must be a token id or a list of token ids, got " + JsonFiles.shown(n));
                }
                out.add(e.asInt());
            }
            return out;
        }
        out.add(optTokenId(field));
        return out;
    }
}
