package dev.fornax.sim;

import dev.fornax.FornaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntToDoubleFunction;

/**
 * {@code fornax verify} without the CLI: checks the request against the design, runs the
 * simulation, compares it with the golden reference and, in trace mode, locates the first
 * differing op. The caller builds the golden reference (it owns the model loading).
 */
public final class Verification {
    private Verification() {}

    /** How to simulate; {@code memory} is the harness's AXI memory model (dram designs). */
    public record Options(Simulator simulator, double stall, long seed, Path wave, boolean trace, SimRequest.Memory memory) {
        public Options {
            if (memory == null) {
                memory = SimRequest.Memory.latency(SimRequest.DEFAULT_AXI_LATENCY);
            }
        }

        /** The default memory model: {@link SimRequest#DEFAULT_AXI_LATENCY} cycles, no gaps, no errors. */
        public Options(Simulator simulator, double stall, long seed, Path wave, boolean trace) {
            this(simulator, stall, seed, wave, trace, null);
        }
    }

    /**
     * @param verdict the logit-by-logit comparison
     * @param trace   in trace mode, the per-op comparison (null otherwise)
     */
    public record Report(Verifier.Result verdict, OpTrace.Comparison trace, Simulator simulator, int axiPorts) {
        public Report(Verifier.Result verdict, OpTrace.Comparison trace, Simulator simulator) {
            this(verdict, trace, simulator, 1);
        }

        public Verifier.SequenceResult sequence() {
            return verdict.sequences().get(0);
        }
    }

    /** Refuses what the hardware would refuse, before any simulation. */
    public static void checkRequest(DesignManifest m, List<Integer> prompt, int maxNew) {
        int vocab = m.design().vocab();
        if (prompt.isEmpty()) {
            throw new FornaxException("the prompt has no tokens");
        }
        for (int i = 0; i < prompt.size(); i++) {
            int t = prompt.get(i);
            if (t < 0 || t >= vocab) {
                throw new FornaxException("token " + t + " (position " + i + " of the prompt) is outside the design's vocabulary [0, "
                        + vocab + ")");
            }
        }
        if (maxNew < 0) {
            throw new FornaxException("-n must be >= 0, got " + maxNew);
        }
        long total = (long) prompt.size() + maxNew;
        if (total > m.design().context()) {
            throw new FornaxException("prompt (" + prompt.size() + " tokens) + " + maxNew + " new tokens = " + total
                    + " exceeds the design's context of " + m.design().context() + " positions (compile with a larger --context)");
        }
    }

    public static Report run(DesignManifest m, List<Integer> prompt, int maxNew, List<Integer> eos, boolean ignoreEos,
            Options o, GoldenReference golden, IntToDoubleFunction ideal, Consumer<String> progress) {
        checkRequest(m, prompt, maxNew);
        SimRequest req = new SimRequest(List.of(prompt), maxNew, eos, ignoreEos, o.stall(), o.seed(), o.wave(),
                SimRequest.DEFAULT_TIMEOUT_CYCLES, o.memory(), o.trace());
        SimResults sim = new SimRunner(m.dir(), m.design(), o.simulator(), progress).run(req);
        OpTrace goldenTrace = null;
        if (o.trace()) {
            goldenTrace = new OpTrace();
            golden.setTrace(goldenTrace.recorder());
        }
        Verifier.Result verdict = Verifier.compare(req, sim, golden, ideal);
        OpTrace.Comparison traceCmp = null;
        if (o.trace()) {
            golden.setTrace(null);
            OpTrace rtl = new OpTrace();
            if (rtl.parse(sim.output()) == 0) {
                throw new FornaxException("--trace: the design printed no trace lines (FXT/FXE) in its FORNAX_TRACE build");
            }
            traceCmp = OpTrace.compare(goldenTrace, rtl);
        }
        return new Report(verdict, traceCmp, o.simulator(), Math.max(1, m.design().dramRegions().size()));
    }
}
