package dev.fornax.rtl;

import dev.fornax.FornaxException;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the weight stream of a {@link Layout}: beats (LANES bytes, rows zero-padded to whole
 * beats) and 64-bit row constants {bias[31:0], 4'b0, k[11:0], M[15:0]}, each as a $readmemh file
 * and a little-endian binary twin.
 */
final class WeightImage {
    private WeightImage() {}

    /** The 64-bit constant word of row r. */
    static long constWord(QMatrix m, int r) {
        int k = m.k()[r];
        if (k < -2048 || k > 2047) {
            throw new FornaxException(m.name() + ": row " + r + " scale exponent " + k + " does not fit 12 bits");
        }
        return ((long) m.bias()[r] << 32) | ((long) (k & 0xFFF) << 16) | (m.m()[r] & 0xFFFFL);
    }

    static void writeBeats(Layout layout, Path mem, Path bin) {
        int lanes = layout.lanes();
        try (BufferedWriter hex = Files.newBufferedWriter(mem, StandardCharsets.US_ASCII);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(bin), 1 << 20)) {
            StringBuilder sb = new StringBuilder();
            for (Layout.Slot s : layout.slots()) {
                if (!s.ownBeats()) {
                    continue;
                }
                Layout.writeSlot(s, lanes, (b, off, len) -> {
                    for (int at = off; at < off + len; at += lanes) {
                        out.write(b, at, lanes);
                        sb.setLength(0);
                        MemFiles.hexBeat(b, at, lanes, sb);
                        hex.append(sb);
                    }
                });
            }
        } catch (IOException e) {
            throw new FornaxException("cannot write " + mem + ": " + e.getMessage());
        }
    }

    static void writeConsts(Layout layout, Path mem, Path bin) {
        long[] words = new long[(int) layout.totalConsts()];
        int i = 0;
        for (Layout.Slot s : layout.slots()) {
            for (int r = 0; r < s.rows(); r++) {
                words[i++] = constWord(s.matrix(), r);
            }
        }
        MemFiles.writeWords(mem, words, 64);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(bin))) {
            byte[] le = new byte[8];
            for (long w : words) {
                for (int b = 0; b < 8; b++) {
                    le[b] = (byte) (w >>> (8 * b));
                }
                out.write(le);
            }
        } catch (IOException e) {
            throw new FornaxException("cannot write " + bin + ": " + e.getMessage());
        }
    }
}
