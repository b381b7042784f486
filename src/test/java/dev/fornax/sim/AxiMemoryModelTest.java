package dev.fornax.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The harness's AXI memory model (docs/SIMULATION.md) against the behavioural stand-in core: read
 * latency, refresh-like blackouts, error injection, a reset with bursts in flight, and the
 * protocol checks, each shown to fail loudly on a stand-in built with the matching fault.
 */
class AxiMemoryModelTest {
    private static final int VOCAB = 100;

    @TempDir
    Path tmp;

    private static SimResults run(StandinDesign d, Simulator sim, SimRequest r) {
        Shared.requireTool(sim.tool());
        return new SimRunner(d.dir, d.info, sim, null).run(r);
    }

    private static SimRequest request(List<Integer> prompt, int n, SimRequest.Memory m) {
        return new SimRequest(List.of(prompt), n, List.of(), true, 0, 1, null, 100000, m, false);
    }

    @ParameterizedTest(name = "stand-in fault {0}")
    @CsvSource(delimiter = '|', value = {
        "4 | AXI      | crosses a 4 KB boundary",
        "5 | AXI      | m_axi_w0_arcache 12 is illegal",
        "8 | AXI      | m_axi_w0_arlen 4 exceeds the design's longest burst (4 beats)",
        "9 | PROTOCOL | m_axi_w0_ar* changed while arvalid && !arready"})
    void protocolFaultsStopTheRun(int bug, SimResults.Status status, String message) {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 64, bug);
        // blackouts hold arvalid waiting for arready, which fault 9 needs
        SimResults r = run(d, Simulator.VERILATOR, request(List.of(1), 1, SimRequest.Memory.latency(20).withBlackout(8, 4)));
        assertThat(r.status()).as(r.message()).isEqualTo(status);
        assertThat(r.message()).contains(message);
    }

    /**
     * The stand-in core fetches its token's row in 4 bursts of 4 beats after 5 + 2p cycles: without
     * stalls every cycle of latency adds one cycle to the position, whatever the latency.
     */
    @Test
    void latencyAddsExactlyItsCyclesAndBlackoutsDelayData() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 64, 0);
        List<Integer> prompt = List.of(3, 99, 0);
        SimResults at8 = run(d, Simulator.VERILATOR, request(prompt, 1, SimRequest.Memory.latency(8)));
        SimResults at200 = run(d, Simulator.VERILATOR, request(prompt, 1, SimRequest.Memory.latency(200)));
        assertThat(at200.positions()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(at200.positions().get(i).cycles() - at8.positions().get(i).cycles()).isEqualTo(192);
            assertThat(at200.positions().get(i).logits()).isEqualTo(d.expectedLogits(prompt.get(i), i));
        }
        // a blackout of 60 cycles in every 100 falls into each fetch of 16 beats over 216+ cycles
        SimRequest gaps = request(prompt, 1, SimRequest.Memory.latency(200).withBlackout(100, 60)).withStall(0.2, 3);
        SimResults v = run(d, Simulator.VERILATOR, gaps);
        SimResults i = run(d, Simulator.IVERILOG, gaps);
        assertThat(v.status()).as(v.message()).isEqualTo(SimResults.Status.OK);
        for (int k = 0; k < 3; k++) {
            SimResults.Position a = v.positions().get(k);
            assertThat(a.logits()).isEqualTo(d.expectedLogits(prompt.get(k), k));
            assertThat(a.matrixCycles()).isGreaterThan(at200.positions().get(k).matrixCycles());
            SimResults.Position b = i.positions().get(k);
            assertThat(List.of(b.cycles(), b.axiBeats(), b.matrixCycles(), b.matrixBeats()))
                    .isEqualTo(List.of(a.cycles(), a.axiBeats(), a.matrixCycles(), a.matrixBeats()));
        }
        assertThat(i.totalCycles()).isEqualTo(v.totalCycles());
    }

    /** Burst 6 (the second of the second position) answers SLVERR: the stand-in raises axi_error, halts and drains. */
    @Test
    void injectedSlverrEndsTheRunWithTheDesignsErrorInBothSimulators() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 64, 0);
        SimRequest req = request(List.of(1, 2), 2, SimRequest.Memory.latency(150).withInjectRresp(6));
        for (Simulator sim : Simulator.values()) {
            SimResults r = run(d, sim, req);
            assertThat(r.status()).as(r.message()).isEqualTo(SimResults.Status.AXI_ERROR);
            assertThat(r.message()).contains("code 0x1 (port 0, cause 1), after the SLVERR injected into read burst 6");
            assertThat(r.positions()).hasSize(1);
        }
        SimResults late = run(d, Simulator.VERILATOR, request(List.of(1), 0, SimRequest.Memory.latency(8).withInjectRresp(9)));
        assertThat(late.status()).isEqualTo(SimResults.Status.USAGE);
        assertThat(late.message()).contains("the run ended after 4 read bursts");
    }

    @ParameterizedTest(name = "stand-in fault {0}")
    @CsvSource(delimiter = '|', value = {
        "6 | did not raise axi_error within 16 cycles of the SLVERR response injected into read burst 2",
        "7 | m_axi_w0_arvalid: a new read burst after axi_error"})
    void aDesignThatMishandlesAnErrorIsCaught(int bug, String message) {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 64, bug);
        SimResults r = run(d, Simulator.VERILATOR, request(List.of(1, 2), 2, SimRequest.Memory.latency(20).withInjectRresp(2)));
        assertThat(r.status()).as(r.message()).isEqualTo(SimResults.Status.PROTOCOL);
        assertThat(r.message()).contains(message);
    }

    /**
     * A reset at cycle 30, while the stand-in's four bursts for token 7 (issued at cycle 14) are in
     * flight: the memory keeps their data coming after the reset, as an interconnect that is not
     * reset with the core does. The stand-in does not track bursts across a reset, so after it each
     * fetch takes the data of the fetch before: position 0 gets token 7's row twice over (no
     * visible harm), position 1 gets token 7's row instead of token 3's, and its logits are wrong.
     */
    @Test
    void dataOfBurstsInFlightAtAResetArrivesAfterIt() {
        StandinDesign d = StandinDesign.create(tmp, VOCAB, 32, true, 64, 0);
        List<Integer> prompt = List.of(7, 3);
        SimResults reset = run(d, Simulator.VERILATOR, request(prompt, 0, SimRequest.Memory.latency(100).withResetAt(30)));
        assertThat(reset.status()).as(reset.message()).isEqualTo(SimResults.Status.OK);
        assertThat(reset.positions()).hasSize(2);
        assertThat(reset.positions().get(0).logits()).isEqualTo(d.expectedLogits(7, 0));
        assertThat(reset.positions().get(1).logits()).isNotEqualTo(d.expectedLogits(3, 1));
        SimResults clean = run(d, Simulator.VERILATOR, request(prompt, 0, SimRequest.Memory.latency(100)));
        assertThat(clean.positions().get(1).logits()).isEqualTo(d.expectedLogits(3, 1));
    }
}
