package dev.fornax.rtl.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.sim.SimResultFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimFiguresTest {
    @TempDir
    Path dir;

    /**
     * A result file as docs/SIMULATION.md describes it: header, position records, optional end record.
     * Each row of {@code counts} is {cycles, AXI beats, matrix-phase cycles, AXI beats in matrix phases};
     * the first format (FXSIM001) has no matrix fields, and the last two entries are then left out.
     */
    private Path resultFile(int vocab, long[][] counts, boolean end, String magic) throws IOException {
        boolean v1 = magic.equals("FXSIM001");
        ByteBuffer b = ByteBuffer.allocate(16 + counts.length * (52 + 4 * vocab) + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(magic.getBytes(StandardCharsets.US_ASCII)).putInt(vocab).putInt(0);
        for (int p = 0; p < counts.length; p++) {
            b.putInt(1).putInt(0).putInt(p).putInt(7).putInt(9).putLong(counts[p][0]).putLong(counts[p][1]);
            if (!v1) {
                b.putLong(counts[p][2]).putLong(counts[p][3]);
            }
            for (int i = 0; i < vocab; i++) {
                b.putInt(i);
            }
        }
        if (end) {
            b.putInt(2).putInt(0).putLong(123);
        }
        Path f = dir.resolve("results-" + magic + ".bin");
        Files.write(f, java.util.Arrays.copyOf(b.array(), b.position()));
        return f;
    }

    private Path resultFile(int vocab, long[][] counts, boolean end) throws IOException {
        return resultFile(vocab, counts, end, SimResultFile.MAGIC);
    }

    /**
     * stories260K at lanes 16: ideal 259,968 / 16 = 16,248 cycles at position 0 and
     * (259,328 + 640·2) / 16 = 16,288 at position 1. In DRAM with a 128-bit port the 288,776
     * fetched bytes take ⌈288,776 / 16⌉ = 18,049 cycles, more than the ideal.
     */
    @Test
    void cyclesAgainstIdealAndBeatsAgainstCycles() throws IOException {
        Path f = resultFile(512, new long[][] {{20_310, 10_155, 12_000, 9_000}, {20_360, 0, 0, 0}}, true);
        List<SimFigures.Row> rows = SimFigures.rows(TestSpecs.stories260k(), 16, 128, SimResultFile.read(f).positions());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).ideal()).isEqualTo(16_248.0);
        assertThat(rows.get(0).axiBound()).isEqualTo(18_049.0);
        assertThat(rows.get(0).overIdeal()).isEqualTo(20_310 / 16_248.0); // 1.25
        assertThat(rows.get(0).overBound()).isEqualTo(20_310 / 18_049.0);
        assertThat(rows.get(0).axiUtilisation()).isEqualTo(0.5);
        assertThat(rows.get(0).axiMatrixUtilisation()).isEqualTo(0.75);
        assertThat(rows.get(1).ideal()).isEqualTo(16_288.0);
        assertThat(rows.get(1).axiMatrixUtilisation()).isNaN();
        List<String> md = SimFigures.markdown(rows);
        assertThat(md.get(0)).endsWith("| matrix-phase cycles | port utilisation in matrix phases | fetched ÷ needed bytes |");
        assertThat(md.get(2)).isEqualTo(
                "| 0 | 0 | 20,310 | 259,968 | 16,248 | 1.250 | 18,049 | 1.125 | 1.130 | 10,155 | 0.500 | 12,000 | 0.750 | 0.565 |");
        assertThat(md.get(3)).endsWith("| 0 | 0.000 | 0 | n/a | 0.000 |");
        assertThat(md.get(4)).startsWith("| mean of 2 |").contains(String.format(java.util.Locale.ROOT, "%.3f",
                (1.25 + 20_360 / 16_288.0) / 2), "0.250");
        // the same file read as a rom design: no AXI bound
        assertThat(SimFigures.rows(TestSpecs.stories260k(), 16, 0, SimResultFile.read(f).positions()).get(0).axiBound())
                .isZero();
    }

    /** Result files of designs compiled before the matrix-phase counters still read; those figures are n/a. */
    @Test
    void firstFormatReadsWithoutMatrixFigures() throws IOException {
        Path f = resultFile(512, new long[][] {{20_310, 10_155}}, true, "FXSIM001");
        SimResultFile.Contents c = SimResultFile.read(f);
        assertThat(c.ended()).isTrue();
        assertThat(c.totalCycles()).isEqualTo(123);
        assertThat(c.positions().get(0).axiBeats()).isEqualTo(10_155);
        assertThat(c.positions().get(0).logits()[511]).isEqualTo(511);
        List<String> md = SimFigures.markdown(SimFigures.rows(TestSpecs.stories260k(), 16, 128, c.positions()));
        assertThat(md.get(2)).endsWith("| 10,155 | 0.500 | 0 | n/a | 0.565 |");
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, "FXSIM999\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> SimResultFile.read(bad)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("does not start with FXSIM002");
    }

    @Test
    void unfinishedSimulationIsReported() throws IOException {
        Path f = resultFile(512, new long[][] {{100, 0, 0, 0}}, false);
        String model = TestSpecs.STORIES.toString();
        SimFigures cmd = new SimFigures();
        cmd.model = Path.of(model);
        cmd.results = f;
        cmd.lanes = 16;
        assertThatThrownBy(cmd::call).isInstanceOf(FornaxException.class).hasMessageContaining("no end record");
    }

    @Test
    void printsTheTable() throws IOException {
        Path f = resultFile(512, new long[][] {{16_248, 0, 0, 0}}, true);
        String model = TestSpecs.STORIES.toString();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new SimFigures()).execute(model, f.toString(), "--lanes", "16");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        // a rom design fetches nothing: no AXI columns
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("| 0 | 0 | 16,248 | 259,968 | 16,248 | 1.000 |\n")
                .doesNotContain("AXI");
    }

    @Test
    void longRunsShowBothEnds() throws IOException {
        long[][] runs = new long[20][];
        for (int p = 0; p < runs.length; p++) {
            runs[p] = new long[] {20_000 + p, 100, 50, 40};
        }
        List<String> md = SimFigures.markdown(
                SimFigures.rows(TestSpecs.stories260k(), 16, 0, SimResultFile.read(resultFile(512, runs, true)).positions()));
        assertThat(md).hasSize(2 + 5 + 1 + 5 + 1);
        assertThat(md.get(2)).startsWith("| 0 | 0 | 20,000 |");
        assertThat(md.get(7)).startsWith("| … | 10 more positions |");
        assertThat(md.get(8)).startsWith("| 0 | 15 | 20,015 |");
        assertThat(md.get(13)).startsWith("| mean of 20 |");
    }
}
