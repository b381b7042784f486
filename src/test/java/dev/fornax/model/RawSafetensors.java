package dev.fornax.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: safetensors files with hand-written headers, valid or not. */
final class RawSafetensors {
    private RawSafetensors() {}

    /** Header padded with spaces to a multiple of 8, its true length declared, then {@code data}. */
    static Path write(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        return write(file, padded, h, padded - h.length, data);
    }

    /** Declares {@code declaredLength}, whatever the header's real size. */
    static Path write(Path file, long declaredLength, byte[] header, int spaces, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + spaces + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(header);
        for (int i = 0; i < spaces; i++) {
            b.put((byte) ' ');
        }
        b.put(data);
        Files.write(file, b.array());
        return file;
    }

    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }
}
