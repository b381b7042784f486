package dev.fornax.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness against the behavioural stand-in core: every logit equals the stand-in's documented
 * formula (computed independently in {@link StandinDesign}), the feed order is prompt then the
 * hardware's own predictions, cycle counts are exact, stalls change timing but not one bit of the
 * results, and the harness catches protocol faults.
 */
class SimRunnerTest {
    private static final int VOCAB = 100;

    @TempDir
    Path tmp;

    private static SimResults run(StandinDesign d, Simulator sim, SimRequest r) {
        Shared.requireTool(sim.tool());
        return new SimRunner(d.dir, d.info, sim, null).run(r);
    }

    /** Checks logits, predictions and the feed order of one sequence; returns its positions. */
    private static void assertSequence(StandinDesign d, List<SimResults.Position> ps, int seq, List<Integer> prompt, int n) {
        List<SimResults.Position> mine = ps.stream().filter(p -> p.sequence() == seq).toList();
        assertThat(mine).hasSize(prompt.size() + n - 1);
        for (int i = 0; i < mine.size(); i++) {
            SimResults.Position p = mine.get(i);
            assertThat(p.position()).isEqualTo(i);
            int expectedToken = i < prompt.size() ? prompt.get(i) : mine.get(i - 1).prediction();
            assertThat(p.token()).isEqualTo(expectedToken);
            int[] expected = d.expectedLogits(p.token(), i);
            assertThat(p.logits()).as("logits at position %d", i).isEqualTo(expected);
            assertThat(p.prediction()).isEqualTo(StandinDesign.argmax(expected));
        }
    }

    @Test
    void romRunMatchesFormulaWithExactCycles() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, false, 64, 0);
        List<Integer> prompt = List.of(1, 17, 42);
        SimResults r = run(d, Simulator.VERILATOR, SimRequest.of(prompt, 5, List.of(), false));
        assertThat(r.status()).isEqualTo(SimResults.Status.OK);
        assertSequence(d, r.positions(), 0, prompt, 5);
        for (SimResults.Position p : r.positions()) {
            // the stand-in waits 5 + 2p cycles, then streams VOCAB logits, one per cycle
            assertThat(p.cycles()).as("cycles at position %d", p.position()).isEqualTo(5 + 2L * p.position() + VOCAB);
        }
    }

    @Test
    void stallsAndBackToBackSequencesKeepEveryBit() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, false, 64, 0);
        List<Integer> a = List.of(1, 17, 42);
        List<Integer> b = List.of(1, 5);
        SimRequest base = new SimRequest(List.of(a, b), 4, List.of(), false, 0, 1, null, 100000, 8, false);
        SimResults calm = run(d, Simulator.VERILATOR, base);
        SimResults stalled = run(d, Simulator.VERILATOR, base.withStall(0.3, 7));
        assertThat(stalled.status()).isEqualTo(SimResults.Status.OK);
        assertSequence(d, stalled.positions(), 0, a, 4);
        assertSequence(d, stalled.positions(), 1, b, 4);
        assertThat(stalled.positions()).hasSameSizeAs(calm.positions());
        long calmCycles = 0;
        long stalledCycles = 0;
        for (int i = 0; i < calm.positions().size(); i++) {
            assertThat(stalled.positions().get(i).logits()).isEqualTo(calm.positions().get(i).logits());
            calmCycles += calm.positions().get(i).cycles();
            stalledCycles += stalled.positions().get(i).cycles();
        }
        // 30% dropped logit readies must cost about VOCAB·0.3/0.7 cycles per position
        assertThat(stalledCycles).isGreaterThan(calmCycles + calm.positions().size() * VOCAB / 4);
    }

    @Test
    void dramModeReadsTheImageThroughAxiUnderStalls() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 64, 0);
        List<Integer> prompt = List.of(3, 99, 0);
        SimResults r = run(d, Simulator.VERILATOR, SimRequest.of(prompt, 6, List.of(), false).withStall(0.3, 11));
        assertThat(r.status()).as(r.message()).isEqualTo(SimResults.Status.OK);
        assertSequence(d, r.positions(), 0, prompt, 6);
        // the row of 100 bytes is read as 4 bursts of 4 beats of 8 bytes
        assertThat(r.positions()).allSatisfy(p -> assertThat(p.axiBeats()).isEqualTo(16));
    }

    /**
     * The stand-in raises perf_matrix for its row fetch: from its first cycle (the first AR
     * handshake, arready being high without stalls) until the cycle of its last R beat. The memory
     * model presents a burst's first beat latency + 1 cycles after its AR handshake and then one
     * beat per cycle, and the four ARs go out back to back, so without stalls the phase lasts
     * 1 + latency + 16 cycles and holds all 16 beats; under stalls it holds the same beats in more cycles.
     */
    @Test
    void matrixPhaseCountsMatchTheMemoryModelsTiming() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 64, 0);
        List<Integer> prompt = List.of(3, 99, 0);
        for (int latency : new int[] {8, 3}) {
            SimRequest req = new SimRequest(List.of(prompt), 2, List.of(), false, 0, 1, null, 100000, latency, false);
            SimResults r = run(d, Simulator.VERILATOR, req);
            assertThat(r.status()).as(r.message()).isEqualTo(SimResults.Status.OK);
            assertThat(r.positions()).hasSize(4).allSatisfy(p -> {
                assertThat(p.axiBeats()).isEqualTo(16);
                assertThat(p.matrixBeats()).isEqualTo(16);
                assertThat(p.matrixCycles()).as("latency %d", latency).isEqualTo(1 + latency + 16);
                assertThat(p.matrixUtilisation()).isEqualTo(16.0 / (17 + latency));
            });
        }
        SimResults stalled = run(d, Simulator.VERILATOR, SimRequest.of(prompt, 2, List.of(), false).withStall(0.3, 11));
        assertThat(stalled.status()).as(stalled.message()).isEqualTo(SimResults.Status.OK);
        assertThat(stalled.positions()).allSatisfy(p -> {
            assertThat(p.matrixBeats()).isEqualTo(16);
            assertThat(p.matrixCycles()).isGreaterThan(25);
        });
        // 30% dropped rvalids: 16 beats need about 16 / 0.7 = 23 cycles instead of 16
        long extra = stalled.positions().stream().mapToLong(p -> p.matrixCycles() - 25).sum();
        assertThat(extra).isGreaterThan(stalled.positions().size() * 3L);
    }

    @Test
    void icarusAndVerilatorAgreeCycleForCycle() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 128, 0);
        SimRequest req = new SimRequest(List.of(List.of(1, 2), List.of(7)), 3, List.of(), false, 0.25, 3, null, 100000, 5, false);
        SimResults v = run(d, Simulator.VERILATOR, req);
        SimResults i = run(d, Simulator.IVERILOG, req);
        assertThat(i.status()).as(i.message()).isEqualTo(SimResults.Status.OK);
        assertSequence(d, i.positions(), 0, List.of(1, 2), 3);
        assertThat(i.positions()).hasSameSizeAs(v.positions());
        for (int k = 0; k < v.positions().size(); k++) {
            SimResults.Position a = v.positions().get(k);
            SimResults.Position b = i.positions().get(k);
            assertThat(b.logits()).isEqualTo(a.logits());
            assertThat(List.of(b.token(), b.prediction(), b.cycles(), b.axiBeats(), b.matrixCycles(), b.matrixBeats()))
                    .isEqualTo(List.of(a.token(), a.prediction(), a.cycles(), a.axiBeats(), a.matrixCycles(), a.matrixBeats()));
            assertThat(a.matrixBeats()).isEqualTo(8); // 7 beats of 16 bytes for the 100-byte row, in 2 bursts of 4
        }
        assertThat(i.totalCycles()).isEqualTo(v.totalCycles());
    }

    @Test
    void stopsAtEosUnlessIgnored() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, false, 64, 0);
        List<Integer> prompt = List.of(1, 17);
        SimResults free = run(d, Simulator.VERILATOR, SimRequest.of(prompt, 6, List.of(), false));
        int eos = free.positions().get(3).prediction(); // the third generated token
        List<Integer> before = new ArrayList<>();
        for (int k = 1; k < 3; k++) {
            before.add(free.positions().get(k).prediction());
        }
        SimResults stopped = run(d, Simulator.VERILATOR, SimRequest.of(prompt, 6, List.of(eos), false));
        int firstEos = before.indexOf(eos);
        int expectedPositions = firstEos >= 0 ? 2 + firstEos : 4;
        assertThat(stopped.positions()).hasSize(expectedPositions);
        SimResults ignored = run(d, Simulator.VERILATOR, SimRequest.of(prompt, 6, List.of(eos), true));
        assertThat(ignored.positions()).hasSize(free.positions().size());
    }

    @Test
    void overflowBeyondContextIsReported() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 4, false, 64, 0);
        SimResults r = run(d, Simulator.VERILATOR, SimRequest.of(List.of(1, 2, 3), 5, List.of(), false));
        assertThat(r.status()).isEqualTo(SimResults.Status.OVERFLOW);
        assertThat(r.positions()).hasSize(4);
        assertThat(r.message()).contains("overflow raised at sequence 0 position 4");
    }

    @Test
    void earlyTlastIsCaught() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, false, 64, 1);
        SimResults r = run(d, Simulator.VERILATOR, SimRequest.of(List.of(1), 1, List.of(), false));
        assertThat(r.status()).isEqualTo(SimResults.Status.PROTOCOL);
        assertThat(r.message()).contains("m_logit_tlast high on logit index 98");
    }

    @Test
    void dataChangingWhileStalledIsCaughtInBothSimulators() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, false, 64, 2);
        SimRequest req = SimRequest.of(List.of(1), 1, List.of(), false).withStall(0.3, 1);
        for (Simulator sim : Simulator.values()) {
            SimResults r = run(d, sim, req);
            assertThat(r.status()).isEqualTo(SimResults.Status.PROTOCOL);
            assertThat(r.message()).contains("changed while valid && !ready");
        }
        // the same fault is invisible without back-pressure
        assertThat(run(d, Simulator.VERILATOR, SimRequest.of(List.of(1), 1, List.of(), false)).status())
                .isEqualTo(SimResults.Status.OK);
    }

    @Test
    void unalignedAxiReadIsCaught() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 64, 3);
        SimResults r = run(d, Simulator.VERILATOR, SimRequest.of(List.of(1), 1, List.of(), false));
        assertThat(r.status()).isEqualTo(SimResults.Status.AXI);
        assertThat(r.message()).contains("unaligned AXI read address 0x123456081 on port 0");
    }

    @Test
    void missingToolNamesTheAptPackage() {
        assertThatThrownBy(() -> Tools.require("fornax-no-such-simulator", "fornax-pkg", "to test"))
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining("fornax-no-such-simulator not found on PATH")
                .hasMessageContaining("apt-get install fornax-pkg");
    }
}
