package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.ir.Matrix;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A [rows × cols] tensor read straight from a memory-mapped file, decoded to float32 one row at a
 * time. Rows are mapped in chunks of at most {@link #CHUNK_BYTES}, so a tensor over 2 GiB works as
 * long as one row fits in a mapping. Reads use absolute bulk gets, so one instance serves many
 * threads.
 *
 * <p>Non-finite weights: the first read of each row checks it and throws a {@link FornaxException}
 * naming the tensor, row and column; a row that passed is not checked again. Loading itself stays
 * lazy (nothing is read), so a NaN is reported by whichever consumer touches the row first — the
 * float engine, the quantizer, or {@code inspect}, which reads every row.
 */
public final class MappedMatrix implements Matrix {
    /** Mapping size limit per chunk; a power of two well below the 2 GiB limit of one mapping. */
    static final long CHUNK_BYTES = 1L << 30;

    private static final ThreadLocal<short[]> SCRATCH = ThreadLocal.withInitial(() -> new short[0]);

    private final String name;
    private final Path file;
    private final Dtype dtype;
    private final int rows;
    private final int cols;
    private final int rowsPerChunk;
    private final FloatBuffer[] floats; // F32 chunks, else null
    private final ShortBuffer[] shorts; // BF16 / F16 chunks, else null
    /** 1 once a row was found finite; a benign race at worst checks a row twice. */
    private final byte[] verified;

    private MappedMatrix(String name, Path file, Dtype dtype, int rows, int cols, int rowsPerChunk,
            FloatBuffer[] floats, ShortBuffer[] shorts) {
        this.name = name;
        this.file = file;
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.rowsPerChunk = rowsPerChunk;
        this.floats = floats;
        this.shorts = shorts;
        this.verified = new byte[rows];
    }

    /**
     * Maps {@code rows × cols} elements of {@code dtype} starting at byte {@code position} of the file.
     * The caller has checked that the range lies inside the file.
     */
    static MappedMatrix map(String name, Path file, FileChannel channel, long position, Dtype dtype, int rows, int cols) {
        if (!dtype.decodable()) {
            throw new FornaxException(file + ": tensor '" + name + "' has dtype " + dtype
                    + "; supported: " + Dtype.decodableNames());
        }
        if (rows <= 0 || cols <= 0) {
            throw new FornaxException(file + ": tensor '" + name + "' is empty [" + rows + " × " + cols + "]");
        }
        long rowBytes = (long) cols * dtype.bytes();
        if (rowBytes > CHUNK_BYTES) {
            throw new FornaxException(file + ": tensor '" + name + "' has rows of " + rowBytes
                    + " bytes; rows over " + CHUNK_BYTES + " bytes are not supported");
        }
        int rowsPerChunk = (int) Math.min(rows, CHUNK_BYTES / rowBytes);
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        FloatBuffer[] floats = dtype == Dtype.F32 ? new FloatBuffer[chunks] : null;
        ShortBuffer[] shorts = dtype == Dtype.F32 ? null : new ShortBuffer[chunks];
        try {
            for (int c = 0; c < chunks; c++) {
                int first = c * rowsPerChunk;
                int n = Math.min(rowsPerChunk, rows - first);
                MappedByteBuffer buf = channel.map(FileChannel.MapMode.READ_ONLY, position + first * rowBytes, n * rowBytes);
                buf.order(ByteOrder.LITTLE_ENDIAN);
                if (floats != null) {
                    floats[c] = buf.asFloatBuffer();
                } else {
                    shorts[c] = buf.asShortBuffer();
                }
            }
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot map tensor '" + name + "': " + e.getMessage(), e);
        }
        return new MappedMatrix(name, file, dtype, rows, cols, rowsPerChunk, floats, shorts);
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

    public Dtype dtype() {
        return dtype;
    }

    public Path file() {
        return file;
    }

    @Override
    public void readRow(int row, float[] dst, int offset) {
        Objects.checkIndex(row, rows);
        Objects.checkFromIndexSize(offset, cols, dst.length);
        int chunk = row / rowsPerChunk;
        int index = (row - chunk * rowsPerChunk) * cols;
        if (floats != null) {
            floats[chunk].get(index, dst, offset, cols);
        } else {
            short[] scratch = SCRATCH.get();
            if (scratch.length < cols) {
                scratch = new short[cols];
                SCRATCH.set(scratch);
            }
            shorts[chunk].get(index, scratch, 0, cols);
            if (dtype == Dtype.BF16) {
                HalfFloats.bf16ToFloat(scratch, 0, dst, offset, cols);
            } else {
                HalfFloats.f16ToFloat(scratch, 0, dst, offset, cols);
            }
        }
        if (verified[row] == 0) {
            requireFinite(name, file, row, dst, offset, cols);
            verified[row] = 1;
        }
    }

    /** Throws naming tensor, row and column when {@code values} holds a NaN or an infinity. */
    static void requireFinite(String tensor, Path file, int row, float[] values, int offset, int n) {
        for (int i = 0; i < n; i++) {
            float v = values[offset + i];
            if (!Float.isFinite(v)) {
                String what = Float.isNaN(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
                throw new FornaxException((file == null ? "" : file + ": ") + "tensor '" + tensor + "' contains "
                        + what + " at row " + row + ", column " + i);
            }
        }
    }
}
