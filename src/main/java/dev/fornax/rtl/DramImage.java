package dev.fornax.rtl;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The DRAM image of --weights dram: the weight beats of a {@link Layout} from offset 0, then the
 * 64-bit row constants from the next 4 KB boundary, padded to whole AXI beats. One binary file,
 * little-endian, read by the AXI memory model and (on hardware) loaded into DRAM at address 0.
 */
final class DramImage {
    private DramImage() {}

    /** Offsets and size of a written image, the AXI address width that spans it, and its SHA-256. */
    record Map(long weightsOffset, long constsOffset, long bytes, int addrWidth, String sha256) {}

    static Map write(Layout layout, int axiDataWidth, Path file) {
        int lanes = layout.lanes();
        long wBytes = layout.totalBeats() * lanes;
        long cOff = (wBytes + 4095) / 4096 * 4096;
        long beat = axiDataWidth / 8;
        long total = (cOff + layout.totalConsts() * 8 + beat - 1) / beat * beat;
        String sha;
        try (HashingWriter out = new HashingWriter(file)) {
            for (Layout.Slot s : layout.slots()) {
                if (s.ownBeats()) {
                    writeRows(out, s, lanes);
                }
            }
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
            if (out.written() != total) {
                throw new IllegalStateException("internal: DRAM image of " + out.written() + " bytes, layout says "
                        + total);
            }
            out.close();
            sha = out.sha256();
        } catch (IOException e) {
            throw new FornaxException("cannot write " + file + ": " + e.getMessage());
        }
        int aw = Math.max(12, CoreParams.bits(total - 1));
        return new Map(0, cOff, total, aw, sha);
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
}
