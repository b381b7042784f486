package dev.fornax.gguf;

/**
 * The tensor element types of ggml ({@code enum ggml_type} in ggml.h), with their block geometry:
 * {@code blockSize} elements are stored in {@code typeSize} bytes. Every type ggml defines is listed,
 * so that the layout of a file can be validated even when it holds tensors Fornax cannot decode;
 * {@link #decodable()} says which ones {@link Dequantizer} turns into float32.
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true),
    Q5_1(7, 32, 24, true),
    Q8_0(8, 32, 34, true),
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, true),
    Q3_K(11, 256, 110, true),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, true),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int typeSize;
    private final boolean decodable;

    GgmlType(int id, int blockSize, int typeSize, boolean decodable) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.decodable = decodable;
    }

    public int id() {
        return id;
    }

    /** Elements per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    /** True when {@link Dequantizer} decodes this type. */
    public boolean decodable() {
        return decodable;
    }

    /** The type with ggml id {@code id}, or null for an id ggml does not define (or no longer uses). */
    public static GgmlType fromId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }

    /** The decodable types, for error messages. */
    public static String decodableNames() {
        StringBuilder out = new StringBuilder();
        for (GgmlType t : values()) {
            if (t.decodable) {
                out.append(out.length() == 0 ? "" : ", ").append(t.name());
            }
        }
        return out.toString();
    }
}
