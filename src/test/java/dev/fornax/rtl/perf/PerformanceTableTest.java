package dev.fornax.rtl.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.rtl.perf.PerformanceModel.Placement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PerformanceTableTest {
    private static final PerformanceModel QWEN = new PerformanceModel(TestSpecs.qwen2_0_5b(), 64, Placement.DRAM,
            Placement.ON_CHIP, 1024, 0, 512, 8_000_000, "predicted");

    @Test
    void plainTableHasOneAlignedRowPerBoard() {
        List<String> lines = PerformanceTable.lines(QWEN, Board.ASSUMED);
        assertThat(lines).hasSize(1 + 1 + 4 + 1); // summary, header, boards, footnote
        assertThat(lines.get(0)).contains("494,004,224 MACs/token", "ideal 7,718,816 cycles/token",
                "predicted 8,000,000 (1.04x ideal)", "497.6 MB weights/token", "AXI 512 bits");
        assertThat(lines.get(1)).startsWith("board").contains("clock (assumed)", "tok/s (predicted)");
        // KV260: the 512-bit port at 250 MHz (16 GB/s) reaches the PS DDR through one 128-bit HP port
        // at 333 MHz: 5.328 GB/s / 497,610,632 B = 10.7 tok/s < compute 250e6 / 8e6 = 31.25 -> port-bound
        assertThat(lines.get(3).split("\\s{2,}")).containsExactly("KV260", "250 MHz", "19.2 GB/s", "5.3 GB/s", "31.3",
                "10.7", "10.7", "AXI port", "yes");
        // Arty: the MIG's 128-bit AXI slave at 83.33 MHz carries 1.333 GB/s (< DDR3L's 1.334):
        // 2.68 tok/s, and the image does not fit its 256 MiB
        assertThat(lines.get(2).split("\\s{2,}")).containsExactly("Arty A7-100T", "100 MHz", "1.3 GB/s", "1.3 GB/s",
                "12.5", "2.68", "2.68", "AXI port", "no");
        int col = lines.get(1).indexOf("limited by");
        for (String row : lines.subList(2, 6)) {
            assertThat(row.charAt(col - 1)).isEqualTo(' ');
            assertThat(row.charAt(col)).isNotEqualTo(' ');
        }
        assertThat(lines.get(6)).startsWith("assumed:");
    }

    @Test
    void markdownTable() {
        List<String> md = PerformanceTable.markdown(QWEN.withCycles(7_718_816, "simulated"), Board.ASSUMED);
        assertThat(md).contains("|---|---|---|---|---|---|---|---|---|");
        // one port reaches one HBM pseudo-channel port (256 bits at 450 MHz = 14.4 GB/s): 14.4e9 / 497,610,632 B
        assertThat(md).anySatisfy(l -> assertThat(l).startsWith("| board |").contains("tok/s (simulated)"));
        assertThat(md).contains("| Alveo U280 | 300 MHz | 460 GB/s | 14.4 GB/s | 38.9 | 28.9 | 28.9 | AXI port | yes |");
    }

    @Test
    void romDesignsShowNoDramColumns() {
        PerformanceModel rom = new PerformanceModel(TestSpecs.stories260k(), 16, Placement.ON_CHIP, Placement.ON_CHIP,
                512, 0, 0, 16_248, "ideal");
        List<String> lines = PerformanceTable.lines(rom, Board.ASSUMED);
        assertThat(lines.get(0)).contains("weights on chip", "0 B from DRAM/token").doesNotContain("AXI");
        // 100e6 / 16,248 = 6,154.6
        assertThat(lines.get(2).split("\\s{2,}")).containsExactly("Arty A7-100T", "100 MHz", "1.3 GB/s", "n/a",
                "6,155", "no DRAM traffic", "6,155", "compute", "n/a");
    }

    @Test
    void reportPrintsForAModelFile() {
        String model = TestSpecs.STORIES.toString();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new PerformanceReport()).execute(model, "--lanes", "64", "--weights", "dram");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        // ideal cycles 259,968 / 64 = 4,062; AXI defaults to 8·64 = 512 bits
        assertThat(out).contains("ideal 4,062 cycles/token", "AXI 512 bits", "tok/s (ideal)", "Alveo U280");
    }

    @Test
    void rooflineTableGivesTheShareOfEachBoardsMemoryPeak() {
        // lanes 128, four 256-bit ports (rows of 896 and 4864 are whole beats: nothing padded), 4e6 cycles
        PerformanceModel m = new PerformanceModel(TestSpecs.qwen2_0_5b(), 128, Placement.DRAM, Placement.ON_CHIP, 1024, 0,
                256, 4, 4_000_000, "simulated");
        List<String> md = PerformanceTable.rooflineMarkdown(m, List.of(Board.KV260, Board.ALVEO_U280));
        assertThat(md.get(0)).contains("4 × 256-bit design ports", "(simulated cycles)", "% of roofline");
        assertThat(md.get(1)).isEqualTo("|---|---|---|---|---|---|---|---|---|");
        // KV260: 4 design ports on the 4 HP ports: min(4 × 32 B × 250 MHz, 4 × 16 B × 333 MHz = 21.3 GB/s);
        // DDR4's 19.2 GB/s is less: 19.2e9 / 497,610,632 B = 38.6 tok/s = the roofline; compute 250e6 / 4e6 = 62.5
        assertThat(md.get(2)).isEqualTo("| KV260 | 250 MHz | 19.2 GB/s | 21.3 GB/s | 38.6 | 62.5 | 38.6 | 100.0% | DRAM |");
        // U280: 4 of 32 pseudo-channel ports, each min(32 B × 300 MHz, 14.375 GB/s) = 9.6 GB/s: 38.4e9 / 497,610,632 B
        // = 77.2 tok/s; compute 300e6 / 4e6 = 75 -> 75 of the roofline 460e9 / 497,610,632 = 924.4: 8.1%
        assertThat(md.get(3)).isEqualTo("| Alveo U280 | 300 MHz | 460 GB/s | 38.4 GB/s | 924 | 75.0 | 75.0 | 8.1% | compute |");
    }

    @Test
    void reportPrintsTheRooflineTableForChosenBoards() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new PerformanceReport()).execute(TestSpecs.STORIES.toString(), "--lanes", "128",
                    "--weights", "dram", "--axi-ports", "4", "--boards", "kv260,u55c", "--roofline",
                    "--cycles", "5000", "--cycles-source", "simulated");
        } finally {
            System.setOut(old);
        }
        List<String> out = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(code).isZero();
        // the default width per port is 8·LANES / ports = 256 bits; header, rule, one row per board asked for
        assertThat(out).hasSize(4);
        assertThat(out.get(0)).contains("4 × 256-bit design ports");
        assertThat(out.get(2)).startsWith("| KV260 | 250 MHz |");
        assertThat(out.get(3)).startsWith("| Alveo U55C | 300 MHz |");
    }
}
