package dev.fornax.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.cli.Main;
import dev.fornax.engine.GenerationResult;
import dev.fornax.engine.Generator;
import dev.fornax.golden.Int8Engine;
import dev.fornax.ir.ModelSpec;
import dev.fornax.kernel.RegisterMap;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.quant.Quantizer;
import dev.fornax.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel (fornax_kernel) of a real design, stories260K at lanes 16 with its weights in DRAM, in
 * Verilator with the host driver running on the simulation shim: generation bit-exact with the
 * integer golden model on several prompts (back to back, under random AXI stalls, interrupt-driven),
 * the register map's reset values and read/write behaviour, auto-restart, and every error bit under
 * injected AXI error responses and bad arguments. One Verilator build serves every case.
 */
class KernelSimTest {
    private static final Path STORIES = Path.of("models/stories260K/stories260K.bin");
    private static final int CONTEXT = 16;
    private static Path tmp;
    private static DesignManifest design;
    private static KernelDesign kernel;

    @BeforeAll
    static void compile() throws Exception {
        Shared.requireTool("verilator");
        tmp = Files.createTempDirectory("fornax-kernel-test");
        Path out = tmp.resolve("d");
        int rc = Main.run("compile", STORIES.toString(), "-o", out.toString(), "--lanes", "16", "--weights", "dram",
                "--context", Integer.toString(CONTEXT));
        assertThat(rc).as("fornax compile").isZero();
        DesignManifest m = DesignManifest.read(out);
        design = new DesignManifest(m.dir(), m.design(), STORIES.toAbsolutePath(), null, m.json());
        kernel = KernelDesign.read(design);
    }

    @AfterAll
    static void clean() {
        if (tmp != null) {
            BuildCache.deleteTree(tmp);
        }
    }

    private static KernelRunner.Outcome run(KernelRunner.Request r) {
        return run(r, Simulator.VERILATOR);
    }

    private static KernelRunner.Outcome run(KernelRunner.Request r, Simulator sim) {
        return new KernelRunner(design.dir(), kernel, sim, null).run(r);
    }

    private static SimRequest request(List<List<Integer>> prompts, int n, double stall) {
        return new SimRequest(prompts, n, List.of(2), false, stall, 11, null, 20_000_000L, 8, false);
    }

    private static Verifier.Result verify(SimRequest req, KernelRunner.Outcome out) {
        try (LoadedModel model = ModelLoader.load(STORIES, null); Int8Reference golden = new Int8Reference(model, CONTEXT)) {
            ModelSpec spec = golden.spec();
            Verifier.Result v = Verifier.compare(req, out.sim(), golden, p -> IdealCycles.at(spec, 16, p));
            try (Int8Engine e = new Int8Engine(Quantizer.quantize(model.weights(), CONTEXT))) {
                for (int s = 0; s < req.sequences().size(); s++) {
                    int[] prompt = req.sequences().get(s).stream().mapToInt(Integer::intValue).toArray();
                    GenerationResult g = Generator.greedy(e, prompt, req.maxNew(), false, id -> { });
                    List<Integer> want = new ArrayList<>();
                    for (int t : g.tokens()) {
                        want.add(t);
                    }
                    assertThat(v.sequences().get(s).tokens()).as("sequence " + s + " = the int8 engine's tokens")
                            .containsExactlyElementsOf(want);
                }
            }
            return v;
        }
    }

    @Test
    void severalPromptsBackToBackAreBitExact() {
        SimRequest req = request(List.of(List.of(1, 403, 407, 261, 378), List.of(1, 403), List.of(1, 9, 300, 41)), 7, 0);
        KernelRunner.Outcome out = run(KernelRunner.Request.of(req));
        Verifier.Result v = verify(req, out);
        assertThat(v.match()).as(String.valueOf(v.mismatch() == null ? v.error() : v.mismatch().describe())).isTrue();
        assertThat(v.positionsCompared()).isEqualTo((5 + 7 - 1) + (2 + 7 - 1) + (4 + 7 - 1));
        for (JsonNode run : out.kernel().path("runs")) {
            assertThat(run.path("rc").asInt()).isZero();
            assertThat(run.path("stop_reason").asInt()).isEqualTo(RegisterMap.STOP_LENGTH);
            assertThat(run.path("n_tokens").asInt()).isEqualTo(7);
            assertThat(run.path("interrupt_high_at_end").asBoolean()).isFalse();
            // every weight beat of a position goes through the observed port, and the counters agree
            assertThat(run.path("weight_beats").asLong()).isPositive();
            assertThat(run.path("matrix_cycles").asLong()).isPositive().isLessThan(run.path("cycles").asLong());
        }
    }

    @Test
    void stallsAndTheInterruptPathChangeNothing() {
        SimRequest req = request(List.of(List.of(1, 403, 407, 261, 378), List.of(1, 29)), 5, 0.3);
        KernelRunner.Outcome out = run(KernelRunner.Request.of(req).withIrq(true));
        Verifier.Result v = verify(req, out);
        assertThat(v.match()).as(String.valueOf(v.mismatch() == null ? v.error() : v.mismatch().describe())).isTrue();
        for (JsonNode run : out.kernel().path("runs")) {
            assertThat(run.path("rc").asInt()).isZero();
            assertThat(run.path("interrupt_high_at_end").asBoolean()).as("ISR cleared by the driver").isFalse();
        }
    }

    /** EOS from any of the slots stops the run after writing the id; IGNORE_EOS does not; MAX_NEW 0 runs the prompt. */
    @Test
    void eosSlotsIgnoreEosAndMaxNewZero() {
        // greedy from "Once upon a time" is 432, 383, 286, ...: take 286 as an end-of-sequence id
        List<Integer> prompt = List.of(1, 403, 407, 261, 378);
        SimRequest eos = new SimRequest(List.of(prompt), 6, List.of(5, 286), false, 0, 1, null, 20_000_000L, 8, false);
        KernelRunner.Outcome out = run(KernelRunner.Request.of(eos));
        JsonNode r = out.kernel().path("runs").path(0);
        assertThat(r.path("stop_reason").asInt()).isEqualTo(RegisterMap.STOP_EOS);
        assertThat(r.path("tokens").toString()).isEqualTo("[432,383,286]");
        assertThat(r.path("positions").asInt()).isEqualTo(5 + 3 - 1);
        try (LoadedModel model = ModelLoader.load(STORIES, null); Int8Reference golden = new Int8Reference(model, CONTEXT)) {
            ModelSpec spec = golden.spec();
            assertThat(Verifier.compare(eos, out.sim(), golden, p -> IdealCycles.at(spec, 16, p)).match()).isTrue();
        }
        SimRequest ignore = new SimRequest(List.of(prompt), 4, List.of(286), true, 0, 1, null, 20_000_000L, 8, false);
        JsonNode i = run(KernelRunner.Request.of(ignore)).kernel().path("runs").path(0);
        assertThat(i.path("stop_reason").asInt()).isEqualTo(RegisterMap.STOP_LENGTH);
        assertThat(i.path("tokens").toString()).isEqualTo("[432,383,286,261]");
        JsonNode z = errorRun(List.of(1, 403), 0);
        assertThat(z.path("rc").asInt()).isZero();
        assertThat(z.path("stop_reason").asInt()).isEqualTo(RegisterMap.STOP_LENGTH);
        assertThat(z.path("positions").asInt()).isEqualTo(2);
        assertThat(z.path("n_tokens").asInt()).isZero();
    }

    /** The same bench behind Icarus (a VPI module running the driver on a thread of its own). */
    @Test
    void icarusRunsTheSameCyclesBitExact() {
        Shared.requireTool("iverilog");
        SimRequest req = request(List.of(List.of(1, 403), List.of(1)), 2, 0.2);
        KernelRunner.Outcome icarus = run(KernelRunner.Request.of(req), Simulator.IVERILOG);
        Verifier.Result v = verify(req, icarus);
        assertThat(v.match()).as(String.valueOf(v.mismatch() == null ? v.error() : v.mismatch().describe())).isTrue();
        KernelRunner.Outcome verilator = run(KernelRunner.Request.of(req));
        assertThat(icarus.sim().positions()).hasSameSizeAs(verilator.sim().positions());
        for (int i = 0; i < icarus.sim().positions().size(); i++) {
            SimResults.Position a = icarus.sim().positions().get(i);
            SimResults.Position b = verilator.sim().positions().get(i);
            assertThat(a.cycles()).as("cycles of position %d", i).isEqualTo(b.cycles());
            assertThat(a.axiBeats()).isEqualTo(b.axiBeats());
            assertThat(a.logits()).isEqualTo(b.logits());
        }
        assertThat(icarus.sim().totalCycles()).isEqualTo(verilator.sim().totalCycles());
        System.out.printf("kernel in Icarus: %d cycles in %.1f s (%.0f cycles/s)%n", icarus.sim().totalCycles(),
                icarus.sim().simSeconds(), icarus.sim().totalCycles() / icarus.sim().simSeconds());
    }

    @Test
    void registersResetAndReadBackAsTheMapSays() {
        KernelRunner.Outcome out = run(KernelRunner.Request.of(request(List.of(List.of(1)), 1, 0)).withMode("regs"));
        JsonNode k = out.kernel();
        assertThat(k.path("status").asInt()).isZero();
        assertThat(k.path("interrupt_after_reset").asBoolean()).isFalse();
        Map<String, Long> constants = Map.of("VOCAB", 512L, "CONTEXT", (long) CONTEXT, "WEIGHT_PORTS", 1L, "FEATURES", 1L,
                "LANES", 16L, "DESIGN_ID", kernel.designId());
        int checked = 0;
        for (int off = 0; off < 0x400; off += 4) {
            Expect e = expect(off, 1, constants);
            assertThat(k.path("reset").path(Integer.toString(off)).asLong()).as("reset value at 0x%03X", off).isEqualTo(e.reset);
            if (off != 0 && off != 0xC) {
                assertThat(k.path("ones").path(Integer.toString(off)).asLong()).as("after writing ones at 0x%03X", off)
                        .isEqualTo(e.ones);
                assertThat(k.path("zeros").path(Integer.toString(off)).asLong()).as("after writing zeros at 0x%03X", off)
                        .isEqualTo(e.zeros);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(256);
    }

    private record Expect(long reset, long ones, long zeros) {}

    /** What word `off` holds, independent of the RTL: from the register map alone. */
    private static Expect expect(int off, int weightPorts, Map<String, Long> constants) {
        for (RegisterMap.Register r : RegisterMap.REGISTERS) {
            for (int i = 0; i < r.count(); i++) {
                int base = r.elementOffset(i);
                if (off < base || off >= base + r.bits() / 8) {
                    continue;
                }
                boolean absent = r.name().equals("W_BASE") && i >= weightPorts;
                long reset = absent ? 0 : r.bits() == 64 ? 0 : RegisterMap.resetValue(r, constants);
                long mask = absent ? 0 : r.bits() == 64 && r.access() == RegisterMap.Access.RW ? 0xFFFFFFFFL
                        : RegisterMap.writableMask(r);
                return new Expect(reset, (reset & ~mask) | mask, reset & ~mask);
            }
        }
        return new Expect(0, 0, 0);
    }

    @Test
    void autoRestartRunsAgainUntilCleared() {
        KernelRunner.Outcome out = run(KernelRunner.Request.of(request(List.of(List.of(1, 403)), 2, 0)).withMode("restart"));
        JsonNode r = out.kernel().path("runs").path(0);
        assertThat(out.kernel().path("status").asInt()).isZero();
        assertThat(r.path("restarts").asInt()).as("runs after the first, started by AUTO_RESTART").isEqualTo(2);
        assertThat(r.path("idle_after").asBoolean()).as("no further run once AUTO_RESTART is cleared").isTrue();
        assertThat(r.path("tokens_last").asInt()).isEqualTo(2);
    }

    private static JsonNode errorRun(List<Integer> prompt, int n, String... extra) {
        KernelRunner.Outcome out = run(KernelRunner.Request.of(request(List.of(prompt), n, 0)).withExtra(extra));
        assertThat(out.kernel().path("status").asInt()).as("the harness itself finished").isZero();
        return out.kernel().path("runs").path(0);
    }

    /** fornax verify --via kernel with stdout captured: exit code and the one JSON object. */
    private static JsonNode verifyCli(int wantExit, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", design.dir().toString(), "--via", "kernel", "--model",
                STORIES.toAbsolutePath().toString(), "--tokens", "1,403,407", "-n", "2", "--json"));
        args.addAll(List.of(extra));
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
            rc = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(rc).as("verify --via kernel " + String.join(" ", extra) + ":\n" + out).isEqualTo(wantExit);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
    }

    /**
     * The command line's memory model reaches the kernel bench: a third of the bandwidth costs cycles
     * and changes no logit; --inject-rresp makes verify fail with the kernel's own ERROR report.
     */
    @Test
    void verifyViaKernelTakesTheMemoryModelOptions() throws Exception {
        JsonNode full = verifyCli(0);
        JsonNode slow = verifyCli(0, "--axi-rate", "1/3", "--axi-blackout", "2340,105", "--axi-latency", "60");
        assertThat(full.path("match").asBoolean()).isTrue();
        assertThat(slow.path("match").asBoolean()).isTrue();
        assertThat(slow.path("tokens")).isEqualTo(full.path("tokens"));
        // every weight beat takes at least 3 cycles at 1/3: the run is far longer than at full rate
        assertThat(slow.path("cycles").asLong()).isGreaterThan(2 * full.path("cycles").asLong());
        JsonNode bad = verifyCli(1, "--inject-rresp", "3");
        assertThat(bad.path("match").asBoolean()).isFalse();
        assertThat(bad.path("error").asText()).startsWith("the kernel stopped on an error it reported: ERROR 0x1 (AXI_READ: ")
                .contains("W_RRESP SLVERR", "--inject-rresp 3 answered read burst 3 with SLVERR");
    }

    @Test
    void errorBitsUnderInjectedResponsesAndBadArguments() {
        int axiRead = 1 << 0, axiWrite = 1 << 1, kv = 1 << 2, badToken = 1 << 3, badArg = 1 << 4;
        JsonNode w = errorRun(List.of(1, 403, 407), 4, "--inject-rresp", "3");
        assertThat(w.path("rc").asInt()).as("FORNAX_E_RUN").isEqualTo(-7);
        assertThat(w.path("stop_reason").asInt()).isEqualTo(RegisterMap.STOP_ERROR);
        assertThat(w.path("error").asInt()).isEqualTo(axiRead);
        assertThat((w.path("error_info").asInt() >> 12) & 3).as("W_RRESP = SLVERR").isEqualTo(2);
        assertThat(w.path("n_tokens").asInt()).isZero();

        JsonNode io = errorRun(List.of(1, 403, 407), 4, "--inject-io-rresp", "2");
        assertThat(io.path("error").asInt()).isEqualTo(axiRead);
        assertThat((io.path("error_info").asInt() >> 8) & 3).as("IO_RRESP = SLVERR").isEqualTo(2);
        assertThat(io.path("positions").asInt()).as("stops before the prompt id that failed").isEqualTo(1);

        JsonNode b = errorRun(List.of(1, 403, 407), 4, "--inject-bresp", "5");
        assertThat(b.path("rc").asInt()).isEqualTo(-7);
        assertThat(b.path("error").asInt()).isEqualTo(axiWrite);
        assertThat((b.path("error_info").asInt() >> 10) & 3).as("IO_BRESP = SLVERR").isEqualTo(2);

        JsonNode t = errorRun(List.of(1, 403, 600, 5), 4);
        assertThat(t.path("error").asInt()).isEqualTo(badToken);
        assertThat(t.path("error_info").asInt() >>> 16).as("INDEX of the bad id").isEqualTo(2);
        assertThat(t.path("positions").asInt()).isEqualTo(2);

        JsonNode a = errorRun(List.of(1, 403), 4, "--output-offset", "2");
        assertThat(a.path("error").asInt()).isEqualTo(badArg);
        assertThat(a.path("positions").asInt()).isZero();

        // 5 prompt + 20 new tokens > the 16 positions: CONTEXT after 12 tokens, which are still right
        JsonNode c = errorRun(List.of(1, 403, 407, 261, 378), 20);
        assertThat(c.path("rc").asInt()).as("FORNAX_E_CONTEXT").isEqualTo(-6);
        assertThat(c.path("stop_reason").asInt()).isEqualTo(RegisterMap.STOP_CONTEXT);
        assertThat(c.path("error").asInt()).isEqualTo(kv);
        assertThat(c.path("positions").asInt()).isEqualTo(CONTEXT);
        assertThat(c.path("n_tokens").asInt()).isEqualTo(CONTEXT - 5 + 1);
        try (LoadedModel model = ModelLoader.load(STORIES, null);
                Int8Engine e = new Int8Engine(Quantizer.quantize(model.weights(), CONTEXT))) {
            GenerationResult g = Generator.greedy(e, new int[] {1, 403, 407, 261, 378}, CONTEXT - 5 + 1, true, id -> { });
            List<Integer> got = new ArrayList<>();
            c.path("tokens").forEach(x -> got.add(x.asInt()));
            List<Integer> want = new ArrayList<>();
            for (int x : g.tokens()) {
                want.add(x);
            }
            assertThat(got).containsExactlyElementsOf(want);
        }
    }
}
