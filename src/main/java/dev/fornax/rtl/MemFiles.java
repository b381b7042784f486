package dev.fornax.rtl;

import dev.fornax.FornaxException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writers for $readmemh files (one word per line, hex, most significant digit first). */
final class MemFiles {
    private MemFiles() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Words of up to 64 bits; {@code bits} is the word width (values are masked to it). */
    static void writeWords(Path file, long[] words, int bits) {
        int digits = (bits + 3) / 4;
        long mask = bits >= 64 ? -1L : (1L << bits) - 1;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            char[] line = new char[digits + 1];
            line[digits] = '\n';
            for (long v : words) {
                long x = v & mask;
                for (int i = digits - 1; i >= 0; i--) {
                    line[i] = HEX[(int) (x & 15)];
                    x >>>= 4;
                }
                w.write(line);
            }
        } catch (IOException e) {
            throw new FornaxException("cannot write " + file + ": " + e.getMessage());
        }
    }

    static void writeInts(Path file, int[] values, int bits) {
        long[] w = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            w[i] = values[i];
        }
        writeWords(file, w, bits);
    }

    static void writeShorts(Path file, short[] values) {
        long[] w = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            w[i] = values[i];
        }
        writeWords(file, w, 16);
    }

    /** A line of {@code bytesPerWord} bytes from {@code src}, byte 0 as the least significant. */
    static void hexBeat(byte[] src, int off, int bytesPerWord, StringBuilder sb) {
        for (int i = bytesPerWord - 1; i >= 0; i--) {
            int b = src[off + i] & 0xFF;
            sb.append(HEX[b >> 4]).append(HEX[b & 15]);
        }
        sb.append('\n');
    }

    static OutputStream open(Path file) {
        try {
            return Files.newOutputStream(file);
        } catch (IOException e) {
            throw new FornaxException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
