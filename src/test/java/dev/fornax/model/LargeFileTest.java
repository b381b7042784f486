package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Matrix;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sparse safetensors file over 2 GiB (mostly holes, a few KB on disk): a 2 GiB tensor that must
 * be mapped in chunks, then tensors that start past the 2 GiB mark.
 */
class LargeFileTest {
    private static final int FILLER_ROWS = 65_536;
    private static final int FILLER_COLS = 8_192; // 32 KiB rows: 2^31 bytes in all

    @Test
    void tensorsPastTwoGibReadBack(@TempDir Path dir) throws IOException {
        long fillerBytes = 4L * FILLER_ROWS * FILLER_COLS;
        long aEnd = fillerBytes + 4 * 4 * 8;
        long bEnd = aEnd + 2 * 3 * 5;
        String header = "{" + RawSafetensors.entry("filler", "F32", "[" + FILLER_ROWS + "," + FILLER_COLS + "]", 0, fillerBytes)
                + "," + RawSafetensors.entry("tail.a", "F32", "[4,8]", fillerBytes, aEnd)
                + "," + RawSafetensors.entry("tail.b", "BF16", "[3,5]", aEnd, bEnd) + "}";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        int padded = (h.length + 7) / 8 * 8;
        long dataStart = 8 + padded;
        Path file = dir.resolve("model.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            raf.write(len.array());
            raf.write(h);
            raf.write(" ".repeat(padded - h.length).getBytes(StandardCharsets.US_ASCII));
            raf.setLength(dataStart + bEnd); // holes everywhere else
            // Rows on both sides of the 1 GiB chunk boundary of the filler, and its last row.
            for (int row : new int[] {32_767, 32_768, 65_535}) {
                raf.seek(dataStart + 4L * row * FILLER_COLS);
                raf.write(f32Row(row, FILLER_COLS));
            }
            raf.seek(dataStart + fillerBytes);
            for (int r = 0; r < 4; r++) {
                raf.write(f32Row(1000 + r, 8));
            }
            ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 15; i++) {
                b.putShort(HalfFloats.floatToBf16(-i * 0.5f));
            }
            raf.write(b.array());
        }
        assertThat(file.toFile().length()).isGreaterThan(1L << 31);

        try (HfTensors t = HfTensors.open(dir)) {
            Matrix filler = t.matrix("filler", FILLER_ROWS, FILLER_COLS, "test");
            for (int row : new int[] {32_767, 32_768, 65_535}) {
                float[] got = filler.row(row);
                assertThat(got[0]).isEqualTo(row);
                assertThat(got[FILLER_COLS - 1]).isEqualTo(row + (FILLER_COLS - 1) / 1024f);
            }
            assertThat(filler.row(40_000)).containsOnly(0f);
            Matrix a = t.matrix("tail.a", 4, 8, "test");
            for (int r = 0; r < 4; r++) {
                assertThat(a.row(r)[7]).isEqualTo(1000 + r + 7 / 1024f);
            }
            Matrix b = t.matrix("tail.b", 3, 5, "test");
            assertThat(b.row(2)).containsExactly(-5f, -5.5f, -6f, -6.5f, -7f);
        }
    }

    /** Row values row + i/1024: exact in float32 for these ranges. */
    private static byte[] f32Row(int row, int cols) {
        ByteBuffer b = ByteBuffer.allocate(4 * cols).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cols; i++) {
            b.putFloat(row + i / 1024f);
        }
        return b.array();
    }
}
