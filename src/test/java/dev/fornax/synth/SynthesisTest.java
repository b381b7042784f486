package dev.fornax.synth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.cli.Main;
import dev.fornax.sim.DesignManifest;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Yosys synth_xilinx on the named configuration CI runs (a few CPU minutes): stories260K at lanes
 * 16 with ROM weights and a 128-position KV cache. The cell table is printed for the record.
 */
class SynthesisTest {
    private static final Path STORIES = Path.of("models/stories260K/stories260K.bin");

    @TempDir
    Path tmp;

    private DesignManifest compile(String model, String... options) {
        Path out = tmp.resolve("design");
        String[] args = new String[4 + options.length];
        args[0] = "compile";
        args[1] = model;
        args[2] = "-o";
        args[3] = out.toString();
        System.arraycopy(options, 0, args, 4, options.length);
        assertThat(Main.run(args)).as("fornax compile").isZero();
        return DesignManifest.read(out);
    }

    /** Weight ROMs and KV cache in block RAM, MACs in DSP48E1, no latches. */
    @Test
    void stories260kLanes16OnXilinx() {
        Shared.requireTool("yosys");
        DesignManifest m = compile(STORIES.toString(), "--lanes", "16", "--weights", "rom", "--context", "128");
        Synthesis.Cells c = Synthesis.cells(m.dir(), m.design(), Family.XC7, Map.of(), null);
        System.out.println("synth_xilinx, stories260K, lanes 16, rom, context 128:");
        System.out.print(c.byType());
        JsonNode bits = m.json().path("on_chip_memory_bits");
        long romAndKv = bits.path("weights").asLong() + bits.path("kv_cache").asLong();
        assertThat(romAndKv).as("manifest on_chip_memory_bits").isGreaterThan(2_000_000L);
        // A RAMB18 holds 18,432 bits: the block RAMs must have room for every weight and KV bit
        // (a ROM left as a LUT mux tree would not be counted here), without wasting more than half.
        long needed = (romAndKv + 18_431) / 18_432;
        assertThat(c.ramb18Equivalent()).isBetween(needed, needed * 3 / 2);
        assertThat(c.count("DSP48E1")).isGreaterThanOrEqualTo(16 / 2);
        assertThat(c.latches()).isZero();
    }
}
