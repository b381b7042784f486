package dev.fornax.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison on real simulations of the stand-in, against its formula as the reference. */
class VerifierTest {
    @TempDir
    Path tmp;

    private StandinDesign design;

    /** The stand-in's formula, optionally with one logit altered at (position, index). */
    private final class Formula implements GoldenReference {
        final int badPos;
        final int badIndex;
        int pos;

        Formula(int badPos, int badIndex) {
            this.badPos = badPos;
            this.badIndex = badIndex;
        }

        @Override
        public void reset() {
            pos = 0;
        }

        @Override
        public int[] stepRaw(int token) {
            int[] l = design.expectedLogits(token, pos);
            if (pos == badPos) {
                l[badIndex] += 1;
            }
            pos++;
            return l;
        }
    }

    @BeforeEach
    void setUp() {
        Shared.requireTool("verilator");
        design = StandinDesign.create(tmp, 100, 32, true, 64, 0);
    }

    private SimResults simulate(SimRequest r) {
        return new SimRunner(design.dir, design.info, Simulator.VERILATOR, null).run(r);
    }

    @Test
    void equalRunsMatchAndReportTokensAndCycles() {
        SimRequest req = SimRequest.of(List.of(1, 17, 42), 4, List.of(), false).withStall(0.3, 5);
        SimResults sim = simulate(req);
        Verifier.Result r = Verifier.compare(req, sim, new Formula(-1, 0), pos -> 10.0 * (pos + 1));
        assertThat(r.match()).as(String.valueOf(r.error())).isTrue();
        assertThat(r.positionsCompared()).isEqualTo(6);
        Verifier.SequenceResult s = r.sequences().get(0);
        assertThat(s.tokens()).hasSize(4).containsExactlyElementsOf(
                sim.positions().subList(2, 6).stream().map(SimResults.Position::prediction).toList());
        assertThat(s.stopReason()).isEqualTo("length");
        // generated tokens come from positions 2..5: ideal (30 + 40 + 50 + 60) / 4
        assertThat(s.idealCyclesPerToken()).isEqualTo(45.0);
        assertThat(s.cyclesPerToken()).isEqualTo(
                sim.positions().subList(2, 6).stream().mapToLong(SimResults.Position::cycles).average().orElseThrow());
        // the stand-in fetches its 16-beat row in a matrix phase (perf_matrix) at every position
        double matrixCycles = sim.positions().subList(2, 6).stream().mapToLong(SimResults.Position::matrixCycles)
                .average().orElseThrow();
        assertThat(s.axiBeatsPerToken()).isEqualTo(16.0);
        assertThat(s.matrixBeatsPerToken()).isEqualTo(16.0);
        assertThat(s.matrixCyclesPerToken()).isEqualTo(matrixCycles);
        assertThat(s.axiMatrixUtilisation()).isEqualTo(16.0 / matrixCycles);
        assertThat(s.axiUtilisation()).isEqualTo(16.0 / s.cyclesPerToken());
    }

    @Test
    void firstMismatchNamesPositionIndexAndBothValues() {
        SimRequest req = SimRequest.of(List.of(1, 17, 42), 4, List.of(), false);
        SimResults sim = simulate(req);
        Verifier.Result r = Verifier.compare(req, sim, new Formula(3, 57), pos -> 1);
        assertThat(r.match()).isFalse();
        Verifier.Mismatch m = r.mismatch();
        int rtl = sim.positions().get(3).logits()[57];
        assertThat(m.describe()).isEqualTo("logit differs at sequence 0 position 3 vocab index 57: rtl " + rtl
                + ", golden " + (rtl + 1));
        assertThat(r.positionsCompared()).isEqualTo(4);
    }

    @Test
    void eosEndsTheSequenceWithTheEosTokenIncluded() {
        SimRequest free = SimRequest.of(List.of(1, 17), 6, List.of(), false);
        SimResults all = simulate(free);
        int eos = all.positions().get(2).prediction(); // second generated token
        SimRequest req = SimRequest.of(List.of(1, 17), 6, List.of(eos), false);
        Verifier.Result r = Verifier.compare(req, simulate(req), new Formula(-1, 0), pos -> 1);
        assertThat(r.match()).as(String.valueOf(r.error())).isTrue();
        Verifier.SequenceResult s = r.sequences().get(0);
        assertThat(s.stopReason()).isEqualTo("eos");
        assertThat(s.tokens().get(s.tokens().size() - 1)).isEqualTo(eos);
        assertThat(s.tokens()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aHarnessThatStopsEarlyIsNotAMatch() {
        SimRequest req = SimRequest.of(List.of(1, 17), 5, List.of(), false);
        SimResults sim = simulate(req);
        SimResults cut = new SimResults(sim.positions().subList(0, 4), sim.status(), sim.totalCycles(), null, List.of(), 0, 0);
        Verifier.Result r = Verifier.compare(req, cut, new Formula(-1, 0), pos -> 1);
        assertThat(r.match()).isFalse();
        assertThat(r.error()).isEqualTo("the simulation ended after 4 positions of sequence 0");
    }

    /** In trace builds the RTL prints per-op vectors; the comparison locates a planted difference. */
    @Test
    void traceModeLocatesTheFirstDifferingOp() {
        SimRequest req = SimRequest.of(List.of(1, 17), 2, List.of(), false).withTrace(true);
        SimResults sim = simulate(req);
        OpTrace rtl = new OpTrace();
        assertThat(rtl.parse(sim.output())).isEqualTo(3 * 100);
        OpTrace good = new OpTrace();
        OpTrace bad = new OpTrace();
        Formula f = new Formula(-1, 0);
        Formula g = new Formula(1, 42);
        for (int pos = 0; pos < 3; pos++) {
            int token = sim.positions().get(pos).token();
            good.recorder().on(pos, 1, "logits", f.stepRaw(token), new int[] {-16});
            bad.recorder().on(pos, 1, "logits", g.stepRaw(token), new int[] {-16});
        }
        assertThat(OpTrace.compare(good, rtl).first()).isNull();
        assertThat(OpTrace.compare(bad, rtl).first().describe()).startsWith("position 1, layer 1, op logits, index 42: rtl ");
    }

    @Test
    void backToBackSequencesAreComparedFromPositionZeroEach() {
        SimRequest req = new SimRequest(List.of(List.of(1, 17, 42), List.of(5)), 3, List.of(), false, 0.2, 9, null,
                SimRequest.DEFAULT_TIMEOUT_CYCLES, 3, false);
        Verifier.Result r = Verifier.compare(req, simulate(req), new Formula(-1, 0), pos -> 1);
        assertThat(r.match()).as(String.valueOf(r.error())).isTrue();
        assertThat(r.sequences()).hasSize(2);
        assertThat(r.positionsCompared()).isEqualTo(5 + 3);
    }
}
