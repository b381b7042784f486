package dev.fornax.rtl;

import dev.fornax.FornaxException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The DRAM image of --weights dram: the weight beats of a {@link Layout} from offset 0, then the
 * 64-bit row constants from the next 4 KB boundary, padded to whole AXI beats. One binary file,
 * little-endian, read by the AXI memory model and (on hardware) loaded into DRAM at address 0.
 */
final class DramImage {
    private DramImage() {}

    /** Offsets and size of a written image, and the AXI address width that spans it. */
    record Map(long weightsOffset, long constsOffset, long bytes, int addrWidth) {}

    static Map write(Layout layout, int axiDataWidth, Path file) {
        int lanes = layout.lanes();
        long wBytes = layout.totalBeats() * lanes;
        long cOff = (wBytes + 4095) / 4096 * 4096;
        long beat = axiDataWidth / 8;
        long total = (cOff + layout.totalConsts() * 8 + beat - 1) / beat * beat;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            byte[] row = new byte[lanes];
            for (Layout.Slot s : layout.slots()) {
                if (!s.ownBeats()) {
                    continue;
                }
                QMatrix m = s.matrix();
                for (int r = 0; r < m.rows(); r++) {
                    for (int b = 0; b < s.bpr(); b++) {
                        int c0 = b * lanes;
                        int n = Math.min(lanes, m.cols() - c0);
                        java.util.Arrays.fill(row, (byte) 0);
                        System.arraycopy(m.q(), r * m.cols() + c0, row, 0, n);
                        out.write(row);
                    }
                }
            }
            out.write(new byte[(int) (cOff - wBytes)]);
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
            out.write(new byte[(int) (total - cOff - layout.totalConsts() * 8)]);
        } catch (IOException e) {
            throw new FornaxException("cannot write " + file + ": " + e.getMessage());
        }
        int aw = Math.max(12, CoreParams.bits(total - 1));
        return new Map(0, cOff, total, aw);
    }
}
