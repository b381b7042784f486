package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.gguf.Dequantizer;
import dev.fornax.gguf.GgmlType;
import dev.fornax.gguf.GgufFile;
import dev.fornax.ir.Matrix;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A 2-D GGUF tensor (ggml ne = [cols, rows]) read from a memory-mapped file and dequantised to
 * float32 one row at a time by {@link Dequantizer}. Rows are mapped in chunks of at most
 * {@link MappedMatrix#CHUNK_BYTES}; like {@link MappedMatrix}, the first read of each row checks
 * that it is finite and names the tensor, row and column when it is not. Thread-safe: reads use
 * absolute gets only. The mappings outlive the file's channel, which the reader closes.
 */
final class GgufMatrix implements Matrix {
    private final String name;
    private final Path file;
    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final int rowBytes;
    private final int rowsPerChunk;
    private final ByteBuffer[] chunks;
    private final byte[] verified;

    private GgufMatrix(String name, Path file, GgmlType type, int rows, int cols, int rowBytes, int rowsPerChunk,
            ByteBuffer[] chunks) {
        this.name = name;
        this.file = file;
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = rowBytes;
        this.rowsPerChunk = rowsPerChunk;
        this.chunks = chunks;
        this.verified = new byte[rows];
    }

    /** Maps a tensor whose shape the caller has checked to be [rows × cols] (ne = [cols, rows]). */
    static GgufMatrix map(GgufFile file, GgufFile.TensorInfo t, int rows, int cols) {
        if (!t.type().decodable()) {
            throw new FornaxException(file.file() + ": tensor '" + t.name() + "' has type " + t.type()
                    + ", which is not supported (supported: " + GgmlType.decodableNames() + ")");
        }
        long rowBytes = (long) cols / t.type().blockSize() * t.type().typeSize();
        if (rowBytes > MappedMatrix.CHUNK_BYTES) {
            throw new FornaxException(file.file() + ": tensor '" + t.name() + "' has rows of " + rowBytes
                    + " bytes; rows over " + MappedMatrix.CHUNK_BYTES + " bytes are not supported");
        }
        int rowsPerChunk = (int) Math.min(rows, MappedMatrix.CHUNK_BYTES / rowBytes);
        int n = (rows + rowsPerChunk - 1) / rowsPerChunk;
        ByteBuffer[] chunks = new ByteBuffer[n];
        for (int c = 0; c < n; c++) {
            long first = (long) c * rowsPerChunk;
            long count = Math.min(rowsPerChunk, rows - first);
            chunks[c] = file.map(t, first * rowBytes, count * rowBytes);
        }
        return new GgufMatrix(t.name(), file.file(), t.type(), rows, cols, (int) rowBytes, rowsPerChunk, chunks);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    GgmlType type() {
        return type;
    }

    @Override
    public void readRow(int row, float[] dst, int offset) {
        Objects.checkIndex(row, rows);
        Objects.checkFromIndexSize(offset, cols, dst.length);
        int chunk = row / rowsPerChunk;
        Dequantizer.decode(type, chunks[chunk], (row - chunk * rowsPerChunk) * rowBytes, cols, dst, offset);
        if (verified[row] == 0) {
            MappedMatrix.requireFinite(name, file, row, dst, offset, cols);
            verified[row] = 1;
        }
    }
}
