package dev.fornax.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.sim.DesignManifest;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timing regression guard (issue 9): Yosys synth_xilinx (xc7) on a small configuration (tiny llama,
 * hidden 32, 1 layer, lanes 4, rom) and the estimator of docs/HARDWARE.md. The budget is the figure
 * the re-pipelined core reached (bench/RESULTS.md, "timing after") plus a small margin, so that a
 * change that adds a deep path or a combinational input-to-output path fails here. The estimate is
 * deterministic for a given Yosys (0.23) and netlist; a different Yosys may need the budget re-set.
 */
class TimingBudgetTest {
    /**
     * Estimated period budget on 7-series, ns: 6.451 ns achieved at c0c6327 (before the timing work:
     * about 19.3 ns), plus 5%.
     */
    static final double PERIOD_BUDGET_NS = 6.8;
    /** Logic-level budget (LUT, MUXF and carry cells, one each): 14 achieved (55 before), plus 2. */
    static final int LEVEL_BUDGET = 16;

    @TempDir
    Path tmp;

    @Test
    void tinyLlamaLanes4StaysWithinTheTimingBudgetOnXc7() {
        Shared.requireTool("yosys");
        DesignManifest m = TinySynthDesign.compile(tmp);
        SynthReport r = SynthReport.run(m.dir(), m.design(), Family.XC7, false, null, line -> { });
        TimingAnalysis.Report t = r.timing();
        System.out.printf("tiny llama lanes 4 rom, xc7: estimated period %.3f ns, %d logic levels, worst %s -> %s%n",
                t.periodNs(), t.levelsMax(), t.worstPaths().get(0).start(), t.worstPaths().get(0).end());
        assertThat(t.inputToOutput()).as("combinational input-to-output paths").isEmpty();
        assertThat(r.cells().latches()).as("latches").isZero();
        assertThat(r.logicMemories()).as("memories of 2 Kbit or more built from logic")
                .noneMatch(mem -> mem.clockedRead() && mem.bits() >= 2048);
        assertThat(t.periodNs()).as("estimated period, ns").isLessThanOrEqualTo(PERIOD_BUDGET_NS);
        assertThat(t.levelsMax()).as("logic levels").isLessThanOrEqualTo(LEVEL_BUDGET);
    }
}
