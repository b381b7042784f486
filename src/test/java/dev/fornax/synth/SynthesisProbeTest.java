package dev.fornax.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.rtl.DesignInfo;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Yosys runner and stat parser on a small probe whose mapping is known: 64 Kbit of ROM, 4 MACs. */
class SynthesisProbeTest {
    @TempDir
    Path tmp;

    private DesignInfo probe() throws IOException {
        Files.createDirectories(tmp.resolve("rtl"));
        try (InputStream in = getClass().getResourceAsStream("/synth/synth_probe.v")) {
            Files.write(tmp.resolve("rtl/synth_probe.v"), in.readAllBytes());
        }
        StringBuilder mem = new StringBuilder();
        Random r = new Random(1);
        for (int i = 0; i < 2048; i++) {
            mem.append(String.format("%08x%n", r.nextInt()));
        }
        Files.writeString(tmp.resolve("probe.mem"), mem);
        return new DesignInfo("synth_probe", List.of("rtl/synth_probe.v"), List.of(), 1, 1, 1, 4, "rom", 0, 0, null, List.of());
    }

    @Test
    void xilinxMapsTheRomToBlockRamAndTheMacsToDsps() throws IOException {
        Shared.requireTool("yosys");
        Synthesis.Cells c = Synthesis.cells(tmp, probe(), Family.XC7, Map.of(), null);
        System.out.print(c.byType());
        // 2048 x 32 bits = 64 Kbit: at least 4 RAMB18 worth, and no LUT mux tree
        assertThat(c.ramb18Equivalent()).isBetween(4L, 8L);
        assertThat(c.count("DSP48E1")).isGreaterThanOrEqualTo(4);
        assertThat(c.sum("LUT")).isLessThan(1000);
        assertThat(c.latches()).isZero();
    }

    /** The report of issue 9 on the probe: every JSON key, a positive period, no input-to-output path. */
    @Test
    void reportHasTheKeysOfTheIssue() throws IOException {
        Shared.requireTool("yosys");
        SynthReport r = SynthReport.run(tmp, probe(), Family.XC7, false, null, null);
        com.fasterxml.jackson.databind.JsonNode j = r.json();
        for (String k : List.of("family", "cells", "logic_levels_max", "logic_level_histogram", "estimated_period_ns",
                "estimated_fmax_mhz", "worst_paths", "latches")) {
            assertThat(j.has(k)).as("key %s", k).isTrue();
        }
        assertThat(j.get("family").asText()).isEqualTo("xc7");
        assertThat(j.get("estimated_period_ns").asDouble()).isPositive();
        assertThat(j.get("estimated_fmax_mhz").asDouble()).isCloseTo(1000 / j.get("estimated_period_ns").asDouble(),
                org.assertj.core.data.Offset.offset(0.5));
        assertThat(j.get("worst_paths").size()).isBetween(1, 10);
        assertThat(j.get("worst_paths").get(0).get("steps").size()).isGreaterThanOrEqualTo(2);
        assertThat(j.get("latches").asInt()).isZero();
        assertThat(r.timing().inputToOutput()).isEmpty();
        assertThat(r.resources().get("dsp")).isGreaterThanOrEqualTo(4L);
        System.out.print(r.text());
    }

    @Test
    void chparamChangesTheDesign() throws IOException {
        Shared.requireTool("yosys");
        Synthesis.Cells c = Synthesis.cells(tmp, probe(), Family.ICE40, Map.of("LANES", "2"), null);
        System.out.print(c.byType());
        assertThat(c.count("SB_MAC16")).isEqualTo(2);
        assertThat(c.count("SB_RAM40_4K")).isGreaterThanOrEqualTo(8); // 2048 x 16 bits in 4 Kbit blocks
        assertThat(c.latches()).isZero();
    }

    @Test
    void parsesTheLastCellBlock() {
        String stat = "=== sub ===\n   Number of cells:  2\n     LUT2  2\n\n=== top ===\n\n   Number of cells:   9\n"
                + "     DSP48E1   2\n     FDRE     5\n     RAMB36E1   1\n     LDCE 1\n\n   Chip area: 0\n";
        Synthesis.Cells c = Synthesis.parseStat(stat);
        assertThat(c.byType()).isEqualTo(Map.of("DSP48E1", 2L, "FDRE", 5L, "RAMB36E1", 1L, "LDCE", 1L));
        assertThat(c.ramb18Equivalent()).isEqualTo(2);
        assertThat(c.latches()).isEqualTo(1);
    }
}
