package dev.fornax.rtl;

import dev.fornax.FornaxException;
import dev.fornax.engine.Parallel;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.Quantizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The DRAM image of --weights dram: one region per AXI read port ({@link AxiPlan}), each a file of
 * its own so that a board can load region i into memory channel i (HBM pseudo-channel, DDR bank).
 * Region i holds, little-endian:
 * <ul>
 * <li>from byte 0: bytes [i·SL, (i+1)·SL) of every weight beat of the {@link Layout} (SL = LANES/P),
 * beat b at byte b·SL;</li>
 * <li>from the next 4 KB boundary ({@link Geometry#constsOffset()}): the 64-bit row constants r with
 * r mod P = i, constant r at constsOffset + 8·(r div P), padded to a whole AXI beat.</li>
 * </ul>
 * With one port that is the whole weight stream followed by every row constant, in
 * {@code mem/dram.bin}; with P ports the files are {@code mem/dram.w<i>.bin}. Written from an
 * in-memory model ({@link #write}) or, by the compiler, straight from the quantiser ({@link #stream});
 * both give the same bytes.
 */
final class DramImage {
    private DramImage() {}

    /** A written region: its file (relative to the design), size and SHA-256. */
    record Region(String file, long bytes, String sha256) {}

    /** The written image: its geometry and regions. */
    record Map(Geometry geometry, List<Region> regions) {
        Map {
            regions = List.copyOf(regions);
        }

        long constsOffset() {
            return geometry.constsOffset();
        }

        /** The image's SHA-256: its one region's, or that of the regions' hashes in port order. */
        String sha256() {
            if (regions.size() == 1) {
                return regions.get(0).sha256();
            }
            StringBuilder all = new StringBuilder();
            regions.forEach(r -> all.append(r.sha256()));
            return Manifest.sha256Hex(all.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        long bytes() {
            return regions.stream().mapToLong(Region::bytes).sum();
        }
    }

    /**
     * Where everything lies in the regions, from the plan and the layout's totals.
     *
     * @param beats  weight beats (LANES bytes each) of the whole layout
     * @param consts row constants of the whole layout
     */
    record Geometry(AxiPlan plan, long beats, long consts) {
        int ports() {
            return plan.ports();
        }

        /** Offset of the row constants in every region: after the weight slices, on a 4 KB boundary. */
        long constsOffset() {
            return (beats * plan.sliceBytes() + 4095) / 4096 * 4096;
        }

        /** Row constants in region i: those r with r mod P = i. */
        long consts(int port) {
            return (consts - port + plan.ports() - 1) / plan.ports();
        }

        long bytes(int port) {
            long beat = plan.beatBytes();
            return (constsOffset() + 8 * consts(port) + beat - 1) / beat * beat;
        }

        String file(int port) {
            return plan.ports() == 1 ? "mem/dram.bin" : "mem/dram.w" + port + ".bin";
        }
    }

    /** The regions' files, relative to the design, by port. */
    static List<String> files(AxiPlan plan) {
        Geometry g = new Geometry(plan, 0, 0);
        List<String> f = new ArrayList<>();
        for (int i = 0; i < plan.ports(); i++) {
            f.add(g.file(i));
        }
        return f;
    }

    static Map write(Layout layout, AxiPlan plan, Path designDir) {
        try (Writers out = new Writers(designDir, plan)) {
            for (Layout.Slot s : layout.slots()) {
                if (s.ownBeats()) {
                    writeRows(out, s, layout.lanes());
                }
            }
            return finish(out, layout);
        } catch (IOException e) {
            throw new FornaxException("cannot write the DRAM image into " + designDir.resolve("mem") + ": " + e.getMessage());
        }
    }

    /** A matrix's rows, each zero-padded to whole beats. */
    private static void writeRows(Writers out, Layout.Slot s, int lanes) throws IOException {
        Layout.writeSlot(s, lanes, out::beats);
    }

    /** After the weight beats: padding to 4 KB, the row constants, padding to a whole AXI beat; closes. */
    private static Map finish(Writers out, Layout layout) throws IOException {
        Geometry g = new Geometry(out.plan, layout.totalBeats(), layout.totalConsts());
        long wBytes = layout.totalBeats() * out.plan.sliceBytes();
        for (int i = 0; i < g.ports(); i++) {
            if (out.region[i].written() != wBytes) {
                throw new IllegalStateException("internal: " + out.region[i].written() + " bytes of weight slices in region "
                        + i + ", the layout has " + wBytes);
            }
            out.region[i].zeros(g.constsOffset() - wBytes);
        }
        byte[] le = new byte[8];
        long r = 0;
        for (Layout.Slot s : layout.slots()) {
            for (int k = 0; k < s.rows(); k++, r++) {
                long w = WeightImage.constWord(s.matrix(), k);
                for (int b = 0; b < 8; b++) {
                    le[b] = (byte) (w >>> (8 * b));
                }
                out.region[(int) (r % g.ports())].write(le);
            }
        }
        List<Region> regions = new ArrayList<>();
        for (int i = 0; i < g.ports(); i++) {
            HashingWriter w = out.region[i];
            w.zeros(g.bytes(i) - w.written());
            w.close();
            regions.add(new Region(g.file(i), g.bytes(i), w.sha256()));
        }
        return new Map(g, regions);
    }

    /** One {@link HashingWriter} per region; weight beats are split into the ports' slices. */
    private static final class Writers implements AutoCloseable {
        final AxiPlan plan;
        final HashingWriter[] region;

        Writers(Path designDir, AxiPlan plan) throws IOException {
            this.plan = plan;
            this.region = new HashingWriter[plan.ports()];
            List<String> files = files(plan);
            try {
                for (int i = 0; i < region.length; i++) {
                    region[i] = new HashingWriter(designDir.resolve(files.get(i)));
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        /** Whole weight beats (a multiple of LANES bytes): slice i of each goes to region i. */
        void beats(byte[] b, int off, int len) throws IOException {
            if (region.length == 1) {
                region[0].write(b, off, len);
                return;
            }
            int sl = plan.sliceBytes();
            for (int at = off; at < off + len; at += plan.lanes()) {
                for (int i = 0; i < region.length; i++) {
                    region[i].write(b, at + i * sl, sl);
                }
            }
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (HashingWriter w : region) {
                if (w != null) {
                    try {
                        w.close();
                    } catch (IOException e) {
                        first = first == null ? e : first;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** Opens an image that the quantiser fills matrix by matrix ({@link Quantizer.RowStream}). */
    static Stream stream(Path designDir, ModelSpec spec, AxiPlan plan) throws IOException {
        return new Stream(designDir, spec, plan);
    }

    /**
     * The quantiser's destination for --weights dram: each matrix arrives in stream order, its rows
     * are quantised by the parallel workers into a block of whole padded beats, and the block goes
     * to the regions' {@link HashingWriter}s, which write and hash it in the background. The shapes
     * are checked against the order {@link Layout} will give them.
     */
    static final class Stream implements Quantizer.RowStream, AutoCloseable {
        /** Rows per block: about this many bytes, so a block stays in cache until it is written. */
        private static final int BLOCK_BYTES = 1 << 20;

        private final Path dir;
        private final int lanes;
        private final Writers out;
        private final List<int[]> shapes;
        private int next;
        private byte[] block = new byte[0];

        private Stream(Path designDir, ModelSpec s, AxiPlan plan) throws IOException {
            this.dir = designDir;
            this.lanes = plan.lanes();
            this.shapes = Layout.ownBeatShapes(s);
            this.out = new Writers(designDir, plan);
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
                    out.beats(block, 0, n * stride);
                }
            } catch (IOException e) {
                throw new FornaxException("cannot write the DRAM image into " + dir.resolve("mem") + ": " + e.getMessage());
            }
            return scales;
        }

        /** Appends the row constants of the finished model; returns the image's map. */
        Map finish(Layout layout) {
            if (next != shapes.size()) {
                throw new IllegalStateException("internal: " + next + " of " + shapes.size() + " matrices streamed");
            }
            try {
                return DramImage.finish(out, layout);
            } catch (IOException e) {
                throw new FornaxException("cannot write the DRAM image into " + dir.resolve("mem") + ": " + e.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
