package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.golden.Int8Engine;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.QuantizedModel;
import dev.fornax.quant.Quantizer;
import dev.fornax.sim.DesignManifest;
import dev.fornax.sim.SimRequest;
import dev.fornax.sim.SimResults;
import dev.fornax.sim.SimRunner;
import dev.fornax.sim.Simulator;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights from DRAM over several AXI ports (every port a lane group of each weight beat and every
 * P-th row constant), under a memory with realistic latency, different latencies per port (skew),
 * refresh gaps and stalls: every logit equals the integer golden model. The three cases cover the
 * gearbox's three ways (a slice narrower than, equal to and wider than an AXI beat) with embedding
 * rows and constants that start inside an AXI beat (hidden 48 at 16 lanes is 3 beats a row).
 */
class MultiPortDramTest {
    private static final ModelSpec SPEC = TinyWeights.spec(Architecture.QWEN2, 48, 2, 6, 2, 8, 80, 96, 32);
    private static final int CONTEXT = 12;
    private static final int[] TOKENS = {3, 95, 7, 50, 11};

    @TempDir
    Path tmp;

    private Path compile(QuantizedModel q, int lanes, int ports, int width, String name) {
        Path out = tmp.resolve(name);
        DesignGenerator.generate(RtlModel.from(q), new DesignGenerator.Options("tiny", lanes, CONTEXT, "dram", width, null,
                ports, 0, 256), out);
        return out;
    }

    private static SimResults run(Path design, Simulator sim, SimRequest req) {
        Shared.requireTool(sim.tool());
        DesignManifest m = DesignManifest.read(design);
        return new SimRunner(design, m.design(), sim, null).run(req);
    }

    private static SimRequest request(List<Integer> latencies, double stall) {
        List<Integer> tokens = new ArrayList<>();
        for (int t : TOKENS) {
            tokens.add(t);
        }
        return new SimRequest(List.of(tokens), 0, List.of(), true, stall, 4, null, SimRequest.DEFAULT_TIMEOUT_CYCLES,
                new SimRequest.Memory(latencies, 2340, 105, 0, 0), false);
    }

    private static void assertGolden(QuantizedModel q, SimResults r) {
        assertThat(r.status()).as(r.message()).isEqualTo(SimResults.Status.OK);
        assertThat(r.positions()).hasSize(TOKENS.length);
        Int8Engine golden = new Int8Engine(q, 1);
        for (int p = 0; p < TOKENS.length; p++) {
            assertThat(r.positions().get(p).logits()).as("logits at position %d", p).containsExactly(golden.stepRaw(TOKENS[p]));
        }
    }

    @ParameterizedTest(name = "lanes {0}, {1} ports of {2} bits")
    @CsvSource({"16, 4, 64, '150,200,260,180'", "16, 2, 64, '200,120'", "32, 2, 64, '200,300'"})
    void everyLogitMatchesOverSeveralPorts(int lanes, int ports, int width, String latencies) throws IOException {
        Shared.requireTool("verilator");
        QuantizedModel q = Quantizer.quantize(new TinyWeights(SPEC, 42), CONTEXT);
        Path d = compile(q, lanes, ports, width, "p" + ports + "w" + width + "l" + lanes);
        List<Integer> lat = new ArrayList<>();
        for (String f : latencies.split(",")) {
            lat.add(Integer.parseInt(f));
        }
        assertGolden(q, run(d, Simulator.VERILATOR, request(lat, 0.2)));
        // one region file per port; every port read its share (the beats delivered add up to the image's)
        for (int i = 0; i < ports; i++) {
            assertThat(d.resolve("mem/dram.w" + i + ".bin")).exists();
        }
        assertThat(Files.exists(d.resolve("mem/dram.bin"))).isFalse();
    }

    /** Icarus runs the same four-port design to the same cycle and the same logits. */
    @Test
    void icarusAgreesOnAFourPortDesign() {
        Shared.requireTool("verilator");
        Shared.requireTool("iverilog");
        QuantizedModel q = Quantizer.quantize(new TinyWeights(SPEC, 42), CONTEXT);
        Path d = compile(q, 16, 4, 64, "icarus");
        SimRequest req = new SimRequest(List.of(List.of(3, 95)), 0, List.of(), true, 0.2, 4, null,
                SimRequest.DEFAULT_TIMEOUT_CYCLES, new SimRequest.Memory(List.of(150, 200, 260, 180), 2340, 105, 0, 0), false);
        SimResults v = run(d, Simulator.VERILATOR, req);
        SimResults i = run(d, Simulator.IVERILOG, req);
        assertThat(i.status()).as(i.message()).isEqualTo(SimResults.Status.OK);
        assertThat(i.totalCycles()).isEqualTo(v.totalCycles());
        for (int k = 0; k < 2; k++) {
            assertThat(i.positions().get(k).logits()).isEqualTo(v.positions().get(k).logits());
            assertThat(i.positions().get(k).cycles()).isEqualTo(v.positions().get(k).cycles());
            assertThat(i.positions().get(k).axiBeats()).isEqualTo(v.positions().get(k).axiBeats());
        }
    }
}
