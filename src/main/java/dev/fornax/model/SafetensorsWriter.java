package dev.fornax.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file whose tensor contents are produced row by row, so that no tensor is
 * ever held whole in memory. The header lists the tensors in the given order with contiguous
 * offsets, is padded with spaces to a multiple of 8 bytes (as the reference writer does), and
 * carries {@code __metadata__}. Only F32 and BF16 are written.
 */
final class SafetensorsWriter {
    /** A tensor to write: [rows × cols], or a vector when {@code vector} (shape [cols]). */
    record Planned(String name, Dtype dtype, int rows, int cols, boolean vector) {
        Planned {
            if (dtype != Dtype.F32 && dtype != Dtype.BF16) {
                throw new IllegalArgumentException("writer supports F32 and BF16, not " + dtype);
            }
            if (vector && rows != 1) {
                throw new IllegalArgumentException("a vector has one row");
            }
        }

        long byteLength() {
            return (long) rows * cols * dtype.bytes();
        }

        long[] shape() {
            return vector ? new long[] {cols} : new long[] {rows, cols};
        }
    }

    /** Produces tensor contents: fills {@code row} (length cols) with the values of row {@code index}. */
    interface RowSource {
        void fill(Planned tensor, int index, float[] row);
    }

    private static final int BUFFER_BYTES = 1 << 20;

    private SafetensorsWriter() {}

    static String header(List<Planned> tensors, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder("{\"__metadata__\":");
        sb.append(json(metadata));
        long offset = 0;
        for (Planned t : tensors) {
            long end = offset + t.byteLength();
            sb.append(',').append(json(t.name())).append(":{\"dtype\":\"").append(t.dtype().name())
                    .append("\",\"shape\":").append(Arrays.toString(t.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        return sb.append('}').toString();
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Path file, List<Planned> tensors, Map<String, String> metadata, RowSource source) {
        byte[] header = header(tensors, metadata).getBytes(StandardCharsets.UTF_8);
        int padding = (8 - header.length % 8) % 8; // spaces, so that tensor data starts 8-byte aligned
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length + padding);
            flush(ch, buf);
            writeAll(ch, ByteBuffer.wrap(header));
            writeAll(ch, ByteBuffer.wrap(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII)));
            for (Planned t : tensors) {
                float[] row = new float[t.cols()];
                int rowBytes = t.cols() * t.dtype().bytes();
                for (int r = 0; r < t.rows(); r++) {
                    source.fill(t, r, row);
                    if (buf.remaining() < rowBytes) {
                        flush(ch, buf);
                    }
                    if (rowBytes > buf.capacity()) {
                        ByteBuffer big = encode(t.dtype(), row, ByteBuffer.allocate(rowBytes).order(ByteOrder.LITTLE_ENDIAN));
                        big.flip();
                        writeAll(ch, big);
                    } else {
                        encode(t.dtype(), row, buf);
                    }
                }
            }
            flush(ch, buf);
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer encode(Dtype dtype, float[] row, ByteBuffer buf) {
        if (dtype == Dtype.F32) {
            for (float v : row) {
                buf.putFloat(v);
            }
        } else {
            for (float v : row) {
                buf.putShort(HalfFloats.floatToBf16(v));
            }
        }
        return buf;
    }

    private static void flush(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        writeAll(ch, buf);
        buf.clear();
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
