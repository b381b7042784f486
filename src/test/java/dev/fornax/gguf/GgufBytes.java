package dev.fornax.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes GGUF bytes by hand for tests, field by field as the format describes them, so that
 * malformed files can be made by changing one field. Tensor offsets and padding follow ggml's
 * rule unless a test overrides them.
 */
public final class GgufBytes {
    private final ByteArrayOutputStream kv = new ByteArrayOutputStream();
    private int kvCount;
    private final List<Object[]> tensors = new ArrayList<>(); // {name, long[] dims, type id, byte[] data, Long offset}
    int version = 3;
    int alignment = GgufFile.DEFAULT_ALIGNMENT;

    public GgufBytes string(String key, String value) {
        key(key, 8);
        str(kv, value);
        return this;
    }

    public GgufBytes u32(String key, long value) {
        key(key, 4);
        kv.writeBytes(le(4, value));
        return this;
    }

    public GgufBytes f32(String key, float value) {
        key(key, 6);
        kv.writeBytes(le(4, Float.floatToRawIntBits(value)));
        return this;
    }

    /** A raw key with a given value type id and value bytes (for malformed values). */
    public GgufBytes raw(String key, int type, byte[] value) {
        key(key, type);
        kv.writeBytes(value);
        return this;
    }

    public GgufBytes stringArray(String key, String... values) {
        key(key, 9);
        kv.writeBytes(le(4, 8));
        kv.writeBytes(le(8, values.length));
        for (String v : values) {
            str(kv, v);
        }
        return this;
    }

    public GgufBytes floatArray(String key, float... values) {
        key(key, 9);
        kv.writeBytes(le(4, 6));
        kv.writeBytes(le(8, values.length));
        for (float v : values) {
            kv.writeBytes(le(4, Float.floatToRawIntBits(v)));
        }
        return this;
    }

    public GgufBytes intArray(String key, int... values) {
        key(key, 9);
        kv.writeBytes(le(4, 5));
        kv.writeBytes(le(8, values.length));
        for (int v : values) {
            kv.writeBytes(le(4, v));
        }
        return this;
    }

    public GgufBytes bool(String key, boolean value) {
        key(key, 7);
        kv.writeBytes(new byte[] {(byte) (value ? 1 : 0)});
        return this;
    }

    public GgufBytes tensor(String name, int type, byte[] data, long... dims) {
        tensors.add(new Object[] {name, dims, type, data, null});
        return this;
    }

    /** A tensor with an explicit (possibly wrong) offset. */
    public GgufBytes tensorAt(String name, int type, byte[] data, long offset, long... dims) {
        tensors.add(new Object[] {name, dims, type, data, offset});
        return this;
    }

    private void key(String key, int type) {
        kvCount++;
        str(kv, key);
        kv.writeBytes(le(4, type));
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(4, version));
        out.writeBytes(le(8, tensors.size()));
        out.writeBytes(le(8, kvCount));
        out.writeBytes(kv.toByteArray());
        long offset = 0;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Object[] t : tensors) {
            str(out, (String) t[0]);
            long[] dims = (long[]) t[1];
            out.writeBytes(le(4, dims.length));
            for (long d : dims) {
                out.writeBytes(le(8, d));
            }
            out.writeBytes(le(4, (Integer) t[2]));
            out.writeBytes(le(8, t[4] != null ? (Long) t[4] : offset));
            byte[] bytes = (byte[]) t[3];
            data.writeBytes(bytes);
            long padded = (bytes.length + alignment - 1) / alignment * alignment;
            data.writeBytes(new byte[(int) (padded - bytes.length)]);
            offset += padded;
        }
        int pad = (int) ((alignment - out.size() % alignment) % alignment);
        out.writeBytes(new byte[pad]);
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }

    public static byte[] le(int bytes, long value) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        byte[] out = new byte[bytes];
        System.arraycopy(b.array(), 0, out, 0, bytes);
        return out;
    }

    public static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(le(8, b.length));
        out.writeBytes(b);
    }

    public static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
