package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.golden.Int8Engine;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.quant.Quantizer;
import dev.fornax.sim.SimResults;
import dev.fornax.sim.Simulator;
import dev.fornax.sim.StandinDesign;
import dev.fornax.sim.Verification;
import dev.fornax.sim.Verifier;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fornax verify through the CLI on a design that is deliberately not the model: the stand-in core
 * with stories260K's vocabulary, whose manifest names the bundled stories260K as source. The
 * verdict must be a mismatch at position 0 at the first index where the stand-in's formula and
 * the integer golden model (computed here independently) differ.
 */
class VerifyCommandTest {
    private static final Path STORIES = Path.of("models/stories260K/stories260K.bin");

    @TempDir
    Path tmp;

    private StandinDesign design(int context) {
        StandinDesign d = StandinDesign.create(tmp.resolve("design"), 512, context, false, 64, 0);
        d.writeManifest(STORIES);
        return d;
    }

    @Test
    void namesTheFirstMismatchWithBothValues() throws Exception {
        Shared.requireTool("verilator");
        StandinDesign d = design(16);
        CliRun r = CliRun.of("verify", d.dir.toString(), "--tokens", "1,403,407", "-n", "4", "--json");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("match").asBoolean()).isFalse();
        int[] standin = d.expectedLogits(1, 0);
        int[] golden;
        try (LoadedModel m = ModelLoader.load(STORIES, null); Int8Engine e = new Int8Engine(Quantizer.quantize(m.weights(), 16))) {
            golden = e.stepRaw(1).clone();
        }
        int index = java.util.Arrays.mismatch(standin, golden);
        JsonNode mm = j.get("mismatch");
        assertThat(mm.get("position").asInt()).isZero();
        assertThat(mm.get("index").asInt()).isEqualTo(index);
        assertThat(mm.get("rtl").asLong()).isEqualTo(standin[index]);
        assertThat(mm.get("golden").asLong()).isEqualTo(golden[index]);
        assertThat(j.get("simulator").asText()).isEqualTo("verilator");
        for (String key : new String[] {"tokens", "text", "stop_reason", "cycles", "cycles_per_token", "ideal_cycles_per_token",
                "sim_seconds"}) {
            assertThat(j.has(key)).as(key).isTrue();
        }
    }

    /**
     * The AXI figures of a dram design's report: whole-position utilisation = beats ÷ cycles, and
     * matrix-phase utilisation = matrix-phase beats ÷ matrix-phase cycles (3,000 ÷ 4,000 here).
     */
    @Test
    void reportsTheAxiUtilisationDuringMatrixPhases() throws Exception {
        Verifier.SequenceResult seq = new Verifier.SequenceResult(List.of(1), List.of(5, 6), "length", List.of(5_000L, 5_000L),
                5_000, 4_000, 3_500, 4_000, 3_000);
        SimResults sim = new SimResults(List.of(), SimResults.Status.OK, 10_000, null, List.of(), 1.0, 0.0);
        Verification.Report r = new Verification.Report(new Verifier.Result(true, null, null, List.of(seq), sim, 2), null,
                Simulator.VERILATOR);
        JsonNode j = new ObjectMapper().readTree(VerifyCommand.json(r, null, true));
        assertThat(j.get("axi_beats_per_token").asDouble()).isEqualTo(3_500.0);
        assertThat(j.get("axi_read_utilisation").asDouble()).isEqualTo(0.7);
        assertThat(j.get("matrix_cycles_per_token").asDouble()).isEqualTo(4_000.0);
        assertThat(j.get("axi_matrix_beats_per_token").asDouble()).isEqualTo(3_000.0);
        assertThat(j.get("axi_matrix_utilisation").asDouble()).isEqualTo(0.75);
        assertThat(VerifyCommand.summary(r)).contains("utilisation 0.750 during matrix phases", "0.700 over whole positions");
        // a rom design has no AXI keys
        assertThat(new ObjectMapper().readTree(VerifyCommand.json(r, null, false)).has("axi_matrix_utilisation")).isFalse();
    }

    /** --inject-rresp: the design reports the SLVERR on axi_error and verify fails, naming it. */
    @Test
    void anInjectedReadErrorIsAClearVerifyError() {
        Shared.requireTool("verilator");
        StandinDesign d = StandinDesign.create(tmp.resolve("dram"), 512, 8, true, 64, 0);
        d.writeManifest(STORIES);
        CliRun r = CliRun.of("verify", d.dir.toString(), "--tokens", "1", "-n", "1", "--axi-latency", "200",
                "--axi-blackout", "2340,105", "--inject-rresp", "3");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED: the simulation ended after 0 positions of sequence 0 (the design stopped on an AXI"
                + " error it reported (axi_error)); the design stopped on an AXI error it reported (axi_error): the design raised"
                + " axi_error, code 0x1 (port 0, cause 1), after the SLVERR injected into read burst 3");
        CliRun bad = CliRun.of("verify", d.dir.toString(), "--tokens", "1", "--axi-blackout", "100");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("fornax: --axi-blackout takes EVERY,CYCLES (e.g. 2340,105), got '100'");
    }

    @Test
    void refusesMoreTokensThanTheContextBeforeSimulating() {
        StandinDesign d = design(8);
        CliRun r = CliRun.of("verify", d.dir.toString(), "--tokens", "1,403,407", "-n", "6");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo(
                "fornax: prompt (3 tokens) + 6 new tokens = 9 exceeds the design's context of 8 positions (compile with a larger --context)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aDirectoryWithoutManifestIsNotADesign() {
        CliRun r = CliRun.of("verify", tmp.toString(), "--tokens", "1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: " + tmp + " is not a compiled design: " + tmp.resolve("manifest.json") + " is missing");
    }

    @Test
    void unknownSimulatorIsNamed() {
        StandinDesign d = design(8);
        CliRun r = CliRun.of("verify", d.dir.toString(), "--tokens", "1", "--sim", "modelsim");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("fornax: --sim: unknown simulator 'modelsim' (use verilator or iverilog)");
    }

    @Test
    void generateWithTheRtlEngineNeedsACompiledDesign() {
        CliRun r = CliRun.of("generate", STORIES.toString(), "--engine", "rtl", "--tokens", "1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: --engine rtl runs a compiled design: give the directory that fornax compile wrote");
    }

    /** generate --engine rtl is verify underneath: the same mismatch ends it with exit 1. */
    @Test
    void generateWithTheRtlEngineVerifiesToo() throws Exception {
        Shared.requireTool("verilator");
        StandinDesign d = design(16);
        CliRun r = CliRun.of("generate", d.dir.toString(), "--engine", "rtl", "--tokens", "1,403", "-n", "3", "--json");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("match").asBoolean()).isFalse();
        assertThat(j.get("prompt_tokens").toString()).isEqualTo("[1,403]");
    }
}
