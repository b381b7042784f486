package dev.fornax.sim;

import dev.fornax.FornaxException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the harness's binary result file (little-endian; docs/SIMULATION.md):
 * "FXSIM002", u32 vocab, u32 0; then records: tag u32 1 = position (u32 sequence, u32 position,
 * u32 token, u32 prediction, u64 cycles, u64 AXI beats, u64 matrix-phase cycles, u64 AXI beats in
 * matrix phases, vocab × i32 logits), tag u32 2 = end (u32 status, u64 total cycles). A missing end
 * record means the simulator died. "FXSIM001" files (written by the harness of designs compiled
 * before the matrix-phase counters) lack the two matrix fields; they read as 0.
 */
public final class SimResultFile {
    /** The parsed file; {@code ended} is false when the end record is missing. */
    public record Contents(int vocab, List<SimResults.Position> positions, boolean ended, int status, long totalCycles) {}

    /** The current format's magic, written by fornax_harness.cpp and fornax_tb.v. */
    public static final String MAGIC = "FXSIM002";
    /** The first format: no matrix-phase counts. */
    public static final String MAGIC_V1 = "FXSIM001";

    private SimResultFile() {}

    public static Contents read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
            byte[] magic = new byte[8];
            if (in.readNBytes(magic, 0, 8) < 8) {
                throw new FornaxException("simulation result file " + file + " is empty or has no header");
            }
            String format = new String(magic, StandardCharsets.US_ASCII);
            boolean matrixCounts = format.equals(MAGIC);
            if (!matrixCounts && !format.equals(MAGIC_V1)) {
                throw new FornaxException("simulation result file " + file + " does not start with " + MAGIC + " (or the older "
                        + MAGIC_V1 + ")");
            }
            int vocab = u32(in);
            u32(in);
            List<SimResults.Position> positions = new ArrayList<>();
            while (true) {
                int tag;
                try {
                    tag = u32(in);
                } catch (EOFException e) {
                    return new Contents(vocab, positions, false, -1, -1);
                }
                if (tag == 1) {
                    int seq = u32(in);
                    int pos = u32(in);
                    int token = u32(in);
                    int pred = u32(in);
                    long cycles = u64(in);
                    long beats = u64(in);
                    long matrixCycles = matrixCounts ? u64(in) : 0;
                    long matrixBeats = matrixCounts ? u64(in) : 0;
                    int[] logits = new int[vocab];
                    for (int i = 0; i < vocab; i++) {
                        logits[i] = u32(in);
                    }
                    positions.add(new SimResults.Position(seq, pos, token, pred, cycles, beats, matrixCycles, matrixBeats,
                            logits));
                } else if (tag == 2) {
                    int status = u32(in);
                    long total = u64(in);
                    return new Contents(vocab, positions, true, status, total);
                } else {
                    throw new FornaxException("simulation result file " + file + ": unknown record tag " + tag);
                }
            }
        } catch (EOFException e) {
            throw new FornaxException("simulation result file " + file + " ends inside a record (simulator died?)");
        } catch (IOException e) {
            throw new FornaxException("cannot read simulation result file " + file + ": " + e.getMessage(), e);
        }
    }

    private static int u32(DataInputStream in) throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private static long u64(DataInputStream in) throws IOException {
        return Long.reverseBytes(in.readLong());
    }
}
