package dev.fornax.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.sim.DesignManifest;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** synth_ice40 -dsp on a small named configuration: a tiny llama at lanes 4 (SB_MAC16, SB_RAM40_4K). */
class Ice40SynthesisTest {
    @TempDir
    Path tmp;

    @Test
    void tinyLlamaLanes4OnIce40() {
        Shared.requireTool("yosys");
        DesignManifest m = TinySynthDesign.compile(tmp);
        Synthesis.Cells c = Synthesis.cells(m.dir(), m.design(), Family.ICE40, Map.of(), null);
        System.out.println("synth_ice40 -dsp, tiny llama (hidden 32, 1 layer, vocab 64), lanes 4, rom:");
        System.out.print(c.byType());
        assertThat(c.count("SB_MAC16")).isGreaterThanOrEqualTo(4 / 2);
        assertThat(c.count("SB_RAM40_4K")).isPositive();
        assertThat(c.latches()).isZero();
    }
}
