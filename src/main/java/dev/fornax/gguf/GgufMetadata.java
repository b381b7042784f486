package dev.fornax.gguf;

import dev.fornax.FornaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Typed reads of GGUF metadata. Integer keys accept any GGUF integer type (writers differ: the
 * converter uses uint32 for counts, others int32 or uint64) as long as the value is in range;
 * errors name the file and the key.
 */
public final class GgufMetadata {
    public static final String ARCHITECTURE = "general.architecture";
    public static final String ALIGNMENT = "general.alignment";

    private final Path file;
    private final Map<String, GgufValue> values;

    GgufMetadata(Path file, Map<String, GgufValue> values) {
        this.file = file;
        this.values = values;
    }

    public Path file() {
        return file;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public GgufValue get(String key) {
        return values.get(key);
    }

    public FornaxException error(String key, String problem) {
        return new FornaxException(file + ": metadata '" + key + "' " + problem);
    }

    private GgufValue require(String key) {
        GgufValue v = values.get(key);
        if (v == null) {
            throw error(key, "is missing");
        }
        return v;
    }

    public String requireString(String key) {
        GgufValue v = require(key);
        if (v.type() != GgufValue.Type.STRING) {
            throw error(key, "must be a string, got " + v.typeName());
        }
        return (String) v.value();
    }

    public String optString(String key, String fallback) {
        return has(key) ? requireString(key) : fallback;
    }

    /** A positive integer that fits an int. */
    public int requirePositiveInt(String key) {
        long v = integer(key, require(key));
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw error(key, "must be a positive integer below 2^31, got " + display(key, v));
        }
        return (int) v;
    }

    public int optPositiveInt(String key, int fallback) {
        return has(key) ? requirePositiveInt(key) : fallback;
    }

    /** A token id (0 ≤ id < 2^31), or -1 when absent. */
    public int optTokenId(String key) {
        if (!has(key)) {
            return -1;
        }
        long v = integer(key, require(key));
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw error(key, "must be a token id, got " + display(key, v));
        }
        return (int) v;
    }

    private long integer(String key, GgufValue v) {
        if (!v.type().isInteger()) {
            throw error(key, "must be an integer, got " + v.typeName());
        }
        return (Long) v.value();
    }

    private String display(String key, long v) {
        return get(key).type() == GgufValue.Type.UINT64 ? Long.toUnsignedString(v) : Long.toString(v);
    }

    /** A finite positive number (float32 or float64). */
    public double requirePositiveNumber(String key) {
        GgufValue v = require(key);
        double d;
        if (v.type() == GgufValue.Type.FLOAT32) {
            d = (Float) v.value();
        } else if (v.type() == GgufValue.Type.FLOAT64) {
            d = (Double) v.value();
        } else if (v.type().isInteger()) {
            d = (Long) v.value();
        } else {
            throw error(key, "must be a number, got " + v.typeName());
        }
        if (!(d > 0) || Double.isInfinite(d)) {
            throw error(key, "must be a positive number, got " + d);
        }
        return d;
    }

    public double optPositiveNumber(String key, double fallback) {
        return has(key) ? requirePositiveNumber(key) : fallback;
    }

    public boolean optBoolean(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        GgufValue v = require(key);
        if (v.type() != GgufValue.Type.BOOL) {
            throw error(key, "must be a bool, got " + v.typeName());
        }
        return (Boolean) v.value();
    }

    private GgufValue array(String key, GgufValue.Type element) {
        GgufValue v = require(key);
        if (v.type() != GgufValue.Type.ARRAY || v.elementType() != element) {
            throw error(key, "must be an array of " + element.lowerName() + ", got " + v.typeName());
        }
        return v;
    }

    public String[] requireStringArray(String key) {
        return (String[]) array(key, GgufValue.Type.STRING).value();
    }

    public float[] requireFloatArray(String key) {
        return (float[]) array(key, GgufValue.Type.FLOAT32).value();
    }

    /** An array of any integer type. */
    public long[] requireIntegerArray(String key) {
        GgufValue v = require(key);
        if (v.type() != GgufValue.Type.ARRAY || !v.elementType().isInteger()) {
            throw error(key, "must be an array of integers, got " + v.typeName());
        }
        return (long[]) v.value();
    }
}
