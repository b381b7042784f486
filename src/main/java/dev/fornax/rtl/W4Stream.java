package dev.fornax.rtl;

import dev.fornax.FornaxException;

/**
 * The INT4 weight stream (docs/HARDWARE.md, "INT4 weight stream"). A row of {@code bpr} MAC beats
 * (LANES weights each, as the INT8 stream) has ngp = ⌈bpr·LANES/G⌉ groups (over the row padded to
 * whole beats) and {@link #weightBeats} = ⌈bpr/2⌉ beats of nibbles: byte i of packed beat k holds, in
 * its low nibble, q of column 2k·LANES + i and, in its high nibble, q of column (2k+1)·LANES + i
 * (4-bit two's complement, 0 beyond the row). Rows come in blocks of k = 2^lk rows, k the largest
 * power of two with k·ngp ≤ LANES (else 1): a block is {@link #blockScaleBeats} beats of multipliers
 * (byte rb·ngp + g = u of the block's row rb, group g; 0 for groups past the row or rows past the
 * matrix), then its rows' nibble beats. The embedding table, read one row at a time, uses blocks of
 * one row. {@code fornax_w4_unpack.v} expands the beats to the int8 beats q·u.
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

    /** Groups of a row padded to whole beats: ⌈bpr·LANES/G⌉. */
    static int groupsPerRow(int bpr, int lanes, int groupSize) {
        return (int) (((long) bpr * lanes + groupSize - 1) / groupSize);
    }

    /** log2 of the rows per block: the largest k = 2^lk with k·ngp ≤ LANES, 0 when one row's groups fill a beat. */
    static int log2RowsPerBlock(int bpr, int lanes, int groupSize) {
        int ngp = groupsPerRow(bpr, lanes, groupSize);
        int lk = 0;
        while ((2L << lk) * ngp <= lanes && lk < 15) {
            lk++;
        }
        return lk;
    }

    /** Multiplier beats of a block of 2^lk rows: ⌈2^lk·ngp/LANES⌉ (⌈bpr/G⌉ for one row). */
    static int blockScaleBeats(int bpr, int lanes, int groupSize, int lk) {
        long n = (long) groupsPerRow(bpr, lanes, groupSize) << lk;
        return (int) ((n + lanes - 1) / lanes);
    }

    /** Beats of a whole matrix in blocks: ⌈rows/k⌉ multiplier runs and ⌈bpr/2⌉ beats per row. */
    static long matrixBeats(int rows, int bpr, int lanes, int groupSize) {
        int lk = log2RowsPerBlock(bpr, lanes, groupSize);
        long blocks = (rows + (1L << lk) - 1) >> lk;
        return blocks * blockScaleBeats(bpr, lanes, groupSize, lk) + (long) rows * weightBeats(bpr);
    }

    /**
     * Rows r0 .. r0+n−1 of {@code m} (one block of 2^lk rows, n ≤ 2^lk) into {@code out} at {@code off};
     * returns the bytes written.
     */
    static int packBlock(QMatrix m, int r0, int n, int lk, int lanes, int bpr, byte[] out, int off) {
        int g = m.groupSize();
        int ng = m.groups();
        int ngp = groupsPerRow(bpr, lanes, g);
        int sb = blockScaleBeats(bpr, lanes, g, lk);
        int wb = weightBeats(bpr);
        int len = (sb + n * wb) * lanes;
        java.util.Arrays.fill(out, off, off + len, (byte) 0);
        for (int rb = 0; rb < n; rb++) {
            for (int j = 0; j < ng; j++) {
                out[off + rb * ngp + j] = m.u()[(r0 + rb) * ng + j];
            }
        }
        for (int rb = 0; rb < n; rb++) {
            nibbles(m, r0 + rb, lanes, out, off + (sb + rb * wb) * lanes);
        }
        return len;
    }

    /** Row r's ⌈bpr/2⌉ nibble beats at {@code base} (already zeroed). */
    private static void nibbles(QMatrix m, int r, int lanes, byte[] out, int base) {
        int g = m.groupSize();
        int ng = m.groups();
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
        nibbles(m, r, lanes, out, off + sb * lanes);
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
