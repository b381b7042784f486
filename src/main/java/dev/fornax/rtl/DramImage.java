package dev.fornax.rtl;

import dev.fornax.FornaxException;
import dev.fornax.engine.Parallel;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.Quantizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The DRAM image of --weights dram: the weight beats of a {@link Layout} from offset 0, then the
 * 64-bit row constants from the next 4 KB boundary, padded to whole AXI beats. One binary file,
 * little-endian, read by the AXI memory model and (on hardware) loaded into DRAM at address 0.
 * Written from an in-memory model ({@link #write}) or, by the compiler, straight from the
 * quantiser ({@link #stream}); both give the same bytes.
 */
final class DramImage {
    private DramImage() {}

    /** Offsets and size of a written image, the AXI address width that spans it, and its SHA-256. */
    record Map(long weightsOffset, long constsOffset, long bytes, int addrWidth, String sha256) {}

    static Map write(Layout layout, int axiDataWidth, Path file) {
        try (HashingWriter out = new HashingWriter(file)) {
            for (Layout.Slot s : layout.slots()) {
                if (s.ownBeats()) {
                    writeRows(out, s, layout.lanes());
                }
            }
            return finish(out, layout, axiDataWidth);
        } catch (IOException e) {
            throw new FornaxException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** A matrix's rows, each zero-padded to whole beats; one bulk write when no row needs padding. */
    private static void writeRows(HashingWriter out, Layout.Slot s, int lanes) throws IOException {
        QMatrix m = s.matrix();
        int cols = m.cols();
        long pad = (long) s.bpr() * lanes - cols;
        if (pad == 0) {
            out.write(m.q());
            return;
        }
        for (int r = 0; r < m.rows(); r++) {
            out.write(m.q(), r * cols, cols);
            out.zeros(pad);
        }
    }

    /** After the weight beats: padding to 4 KB, the row constants, padding to a whole AXI beat; closes. */
    private static Map finish(HashingWriter out, Layout layout, int axiDataWidth) throws IOException {
        long wBytes = layout.totalBeats() * layout.lanes();
        if (out.written() != wBytes) {
            throw new IllegalStateException("internal: " + out.written() + " bytes of weight beats, the layout has "
                    + wBytes);
        }
        long cOff = (wBytes + 4095) / 4096 * 4096;
        long beat = axiDataWidth / 8;
        long total = (cOff + layout.totalConsts() * 8 + beat - 1) / beat * beat;
        out.zeros(cOff - wBytes);
        byte[] le = new byte[8];
        for (Layout.Slot s : layout.slots()) {
            for (int r = 0; r < s.rows(); r++) {
                long w = WeightImage.constWord(s.matrix(), r);
                for (int b = 0; b < 8; b++) {
                    le[b] = (byte) (w >>> (8 * b));
                }
                out.write(le);
            }
        }
        out.zeros(total - cOff - layout.totalConsts() * 8);
        out.close();
        int aw = Math.max(12, CoreParams.bits(total - 1));
        return new Map(0, cOff, total, aw, out.sha256());
    }

    /** Opens an image that the quantiser fills matrix by matrix ({@link Quantizer.RowStream}). */
    static Stream stream(Path file, ModelSpec spec, int lanes) throws IOException {
        return new Stream(file, spec, lanes);
    }

    /**
     * The quantiser's destination for --weights dram: each matrix arrives in stream order, its rows
     * are quantised by the parallel workers into a block of whole padded beats, and the block goes
     * to a {@link HashingWriter}, which writes and hashes it in the background. The shapes are
     * checked against the order {@link Layout} will give them.
     */
    static final class Stream implements Quantizer.RowStream, AutoCloseable {
        /** Rows per block: about this many bytes, so a block stays in cache until it is written. */
        private static final int BLOCK_BYTES = 1 << 20;

        private final Path file;
        private final int lanes;
        private final HashingWriter out;
        private final List<int[]> shapes;
        private int next;
        private byte[] block = new byte[0];

        private Stream(Path file, ModelSpec s, int lanes) throws IOException {
            this.file = file;
            this.lanes = lanes;
            this.shapes = Layout.ownBeatShapes(s);
            this.out = new HashingWriter(file);
        }

        @Override
        public double[] put(Matrix m, Parallel parallel) {
            int rows = m.rows();
            int cols = m.cols();
            if (next >= shapes.size() || shapes.get(next)[0] != rows || shapes.get(next)[1] != cols) {
                throw new IllegalStateException("internal: matrix " + m.name() + " [" + rows + " × " + cols
                        + "] arrives out of the stream order at position " + next);
            }
            next++;
            int stride = (cols + lanes - 1) / lanes * lanes;
            int blockRows = Math.max(1, BLOCK_BYTES / stride);
            if (this.block.length < blockRows * stride) {
                this.block = new byte[blockRows * stride]; // reused: fresh memory costs page faults here
            }
            byte[] block = this.block;
            double[] scales = new double[rows];
            try {
                for (int first = 0; first < rows; first += blockRows) {
                    int r0 = first;
                    int n = Math.min(blockRows, rows - r0);
                    parallel.forRange(n, (from, to, worker) -> {
                        float[] buf = new float[cols];
                        for (int i = from; i < to; i++) {
                            m.readRow(r0 + i, buf, 0);
                            scales[r0 + i] = Quantizer.quantizeRow(buf, cols, block, i * stride, m.name(), r0 + i);
                            Arrays.fill(block, i * stride + cols, (i + 1) * stride, (byte) 0);
                        }
                    });
                    out.write(block, 0, n * stride);
                }
            } catch (IOException e) {
                throw new FornaxException("cannot write " + file + ": " + e.getMessage());
            }
            return scales;
        }

        /** Appends the row constants of the finished model; returns the image's map. */
        Map finish(Layout layout, int axiDataWidth) {
            if (next != shapes.size()) {
                throw new IllegalStateException("internal: " + next + " of " + shapes.size() + " matrices streamed");
            }
            try {
                return DramImage.finish(out, layout, axiDataWidth);
            } catch (IOException e) {
                throw new FornaxException("cannot write " + file + ": " + e.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
