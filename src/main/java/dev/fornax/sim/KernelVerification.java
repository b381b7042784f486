package dev.fornax.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntToDoubleFunction;

/**
 * {@code fornax verify DIR --via kernel}: the design behind its kernel wrapper, driven by the host
 * driver through the simulation shim (the kernel reads the prompt from device memory, generates,
 * writes the ids and every position's logits back), compared logit by logit with the golden model
 * exactly as {@link Verification} compares the bare core.
 */
public final class KernelVerification {
    private KernelVerification() {}

    /** The comparison plus the driver's view of the run (registers after AP_DONE). */
    public record Report(Verification.Report verification, JsonNode kernel) {}

    public static Report run(DesignManifest m, List<Integer> prompt, int maxNew, List<Integer> eos, boolean ignoreEos,
            Verification.Options o, GoldenReference golden, IntToDoubleFunction ideal, Consumer<String> progress) {
        Verification.checkRequest(m, prompt, maxNew);
        if (o.trace()) {
            throw new FornaxException("--trace compares the bare core's per-op vectors: verify without --via kernel");
        }
        if (eos.size() > dev.fornax.kernel.RegisterMap.EOS_SLOTS && !ignoreEos) {
            throw new FornaxException("the model has " + eos.size() + " end-of-sequence ids; the kernel compares "
                    + dev.fornax.kernel.RegisterMap.EOS_SLOTS);
        }
        KernelDesign k = KernelDesign.read(m);
        SimRequest req = new SimRequest(List.of(prompt), maxNew, eos, ignoreEos, o.stall(), o.seed(), o.wave(),
                SimRequest.DEFAULT_TIMEOUT_CYCLES, SimRequest.DEFAULT_AXI_LATENCY, false);
        KernelRunner.Outcome out = new KernelRunner(m.dir(), k, o.simulator(), progress).run(KernelRunner.Request.of(req));
        Verifier.Result verdict = Verifier.compare(req, out.sim(), golden, ideal);
        JsonNode run = out.kernel().path("runs").path(0);
        if (verdict.match() && run.path("rc").asInt(-99) != 0) {
            verdict = new Verifier.Result(false, null, "the driver returned " + run.path("rc_text").asText("?")
                    + " (stop reason " + run.path("stop_reason").asInt() + ", ERROR " + run.path("error").asInt() + ")",
                    verdict.sequences(), verdict.sim(), verdict.positionsCompared());
        }
        return new Report(new Verification.Report(verdict, null, o.simulator()), out.kernel());
    }
}
