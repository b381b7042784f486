package dev.fornax.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types a safetensors header may name. Every one has a size, so that offsets of tensors
 * we never read can still be validated; only {@link #F32}, {@link #F16} and {@link #BF16} decode
 * to float32.
 */
public enum Dtype {
    BOOL(1, false),
    U8(1, false),
    I8(1, false),
    F8_E5M2(1, false),
    F8_E4M3(1, false),
    I16(2, false),
    U16(2, false),
    F16(2, true),
    BF16(2, true),
    I32(4, false),
    U32(4, false),
    F32(4, true),
    F64(8, false),
    I64(8, false),
    U64(8, false);

    private final int bytes;
    private final boolean decodable;

    Dtype(int bytes, boolean decodable) {
        this.bytes = bytes;
        this.decodable = decodable;
    }

    public int bytes() {
        return bytes;
    }

    /** True for the types Fornax decodes to float32. */
    public boolean decodable() {
        return decodable;
    }

    /** The safetensors spelling, or null when the name is not a safetensors dtype. */
    public static Dtype fromName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    public static String decodableNames() {
        return Arrays.stream(values()).filter(Dtype::decodable).map(Dtype::name).collect(Collectors.joining(", "));
    }
}
