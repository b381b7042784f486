package dev.fornax.rtl;

import dev.fornax.FornaxException;

/**
 * The INT4 weight stream (docs/HARDWARE.md, "INT4 weight stream"): a row of {@code bpr} MAC beats
 * (LANES weights each, as the INT8 stream) is stored as {@link #scaleBeats} beats of group
 * multipliers u (byte j = group j over the row padded to bpr·LANES columns, 0 for padding groups),
 * then {@link #weightBeats} = ⌈bpr/2⌉ beats of nibbles: byte i of packed beat k holds, in its low
 * nibble, q of column 2k·LANES + i and, in its high nibble, q of column (2k+1)·LANES + i (4-bit two's
 * complement, 0 beyond the row). {@code fornax_w4_unpack.v} expands them to the int8 beats q·u.
 */
final class W4Stream {
    private W4Stream() {}

    /** Beats of group multipliers per row: ⌈⌈bpr·L/G⌉/L⌉ = ⌈bpr/G⌉. */
    static int scaleBeats(int bpr, int groupSize) {
        return (bpr + groupSize - 1) / groupSize;
    }

    static int weightBeats(int bpr) {
        return (bpr + 1) / 2;
    }

    /** Packed beats per row. */
    static int packedBeats(int bpr, int groupSize) {
        return scaleBeats(bpr, groupSize) + weightBeats(bpr);
    }

    /** Writes row r of {@code m} (an INT4 matrix) as packed beats into {@code out} from {@code off}; returns the bytes written. */
    static int packRow(QMatrix m, int r, int lanes, int bpr, byte[] out, int off) {
        int g = m.groupSize();
        int ng = m.groups();
        int sb = scaleBeats(bpr, g);
        int wb = weightBeats(bpr);
        int len = (sb + wb) * lanes;
        java.util.Arrays.fill(out, off, off + len, (byte) 0);
        for (int j = 0; j < ng; j++) {
            out[off + j] = m.u()[r * ng + j];
        }
        int base = off + sb * lanes;
        int cols = m.cols();
        for (int c = 0; c < cols; c++) {
            int e = m.q()[r * cols + c];
            int u = m.u()[r * ng + c / g];
            int q = e / u;
            if (q * u != e || q < -7 || q > 7) {
                throw new IllegalStateException("internal: " + m.name() + " row " + r + " col " + c + ": " + e
                        + " is not q·u with |q| ≤ 7, u = " + u);
            }
            int mac = c / lanes; // MAC beat
            int at = base + (mac / 2) * lanes + c % lanes;
            int nib = q & 0xF;
            out[at] |= (byte) ((mac & 1) == 0 ? nib : nib << 4);
        }
        return len;
    }

    /** The embedding table's rows are read by token at stride bpr: its packed rows must fit. */
    static void checkEmbedding(int bpr, int groupSize, String name) {
        if (packedBeats(bpr, groupSize) > bpr) {
            throw new FornaxException("--weight-bits 4 needs the hidden size to exceed --lanes (" + name
                    + " rows take " + bpr + " beat" + (bpr == 1 ? "" : "s")
                    + ", too few for a beat of group scales and the packed weights); use fewer lanes");
        }
    }
}
