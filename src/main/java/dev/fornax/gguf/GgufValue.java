package dev.fornax.gguf;

/**
 * One metadata value of a GGUF file: its GGUF type and the value. Scalars are boxed Java values
 * (unsigned 32-bit as {@code Long}, unsigned 64-bit as a {@code Long} that may be negative, i.e.
 * its two's-complement bits); arrays hold a primitive array ({@code long[]} for every integer type,
 * {@code float[]}, {@code double[]}, {@code boolean[]}) or a {@code String[]}.
 *
 * @param type        the value's type (for arrays: {@link Type#ARRAY})
 * @param elementType for arrays, the element type; otherwise null
 */
public record GgufValue(Type type, Type elementType, Object value) {
    /** {@code enum gguf_type} of gguf.h. */
    public enum Type {
        UINT8(0, 1),
        INT8(1, 1),
        UINT16(2, 2),
        INT16(3, 2),
        UINT32(4, 4),
        INT32(5, 4),
        FLOAT32(6, 4),
        BOOL(7, 1),
        STRING(8, 8),
        ARRAY(9, 12),
        UINT64(10, 8),
        INT64(11, 8),
        FLOAT64(12, 8);

        private final int id;
        /** Bytes of one element; for STRING and ARRAY the minimum (their length fields). */
        private final int minBytes;

        Type(int id, int minBytes) {
            this.id = id;
            this.minBytes = minBytes;
        }

        int minBytes() {
            return minBytes;
        }

        boolean isInteger() {
            return this == UINT8 || this == INT8 || this == UINT16 || this == INT16 || this == UINT32
                    || this == INT32 || this == UINT64 || this == INT64;
        }

        static Type fromId(int id) {
            for (Type t : values()) {
                if (t.id == id) {
                    return t;
                }
            }
            return null;
        }

        String lowerName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A short description for error messages and {@code inspect}, e.g. "uint32" or "array[string] of 512". */
    public String typeName() {
        return type == Type.ARRAY ? "array of " + length() + " " + elementType.lowerName() : type.lowerName();
    }

    /** The number of elements of an array value. */
    public int length() {
        if (type != Type.ARRAY) {
            throw new IllegalStateException("not an array: " + type);
        }
        return java.lang.reflect.Array.getLength(value);
    }

    @Override
    public String toString() {
        if (type != Type.ARRAY) {
            return String.valueOf(value);
        }
        int n = length();
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, 8); i++) {
            out.append(i == 0 ? "" : ", ").append(java.lang.reflect.Array.get(value, i));
        }
        return out.append(n > 8 ? ", ... (" + n + " elements)]" : "]").toString();
    }

}
