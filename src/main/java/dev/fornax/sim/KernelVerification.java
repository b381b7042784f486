package dev.fornax.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.kernel.RegisterMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
                SimRequest.DEFAULT_TIMEOUT_CYCLES, o.memory(), false);
        KernelRunner.Outcome out = new KernelRunner(m.dir(), k, o.simulator(), progress).run(KernelRunner.Request.of(req));
        Verifier.Result verdict = Verifier.compare(req, out.sim(), golden, ideal);
        JsonNode run = out.kernel().path("runs").path(0);
        if (run.path("stop_reason").asInt() == RegisterMap.STOP_ERROR) {
            // the kernel's own report comes first: the logits it did not write would only say "differs"
            verdict = new Verifier.Result(false, null, errorText(run, o.memory()), verdict.sequences(), verdict.sim(),
                    verdict.positionsCompared());
        } else if (verdict.match() && run.path("rc").asInt(-99) != 0) {
            verdict = new Verifier.Result(false, null, "the driver returned " + run.path("rc_text").asText("?")
                    + " (stop reason " + run.path("stop_reason").asInt() + ", ERROR " + run.path("error").asInt() + ")",
                    verdict.sequences(), verdict.sim(), verdict.positionsCompared());
        }
        return new Report(new Verification.Report(verdict, null, o.simulator()), out.kernel());
    }

    /**
     * "the kernel stopped on an error it reported: ERROR 0x1 (AXI_READ: ...), ERROR_INFO 0x2001 (W_RRESP
     * SLVERR), after 0 tokens (POSITIONS 1)", plus the injected response that caused it.
     */
    static String errorText(JsonNode run, SimRequest.Memory memory) {
        long error = run.path("error").asLong();
        long info = run.path("error_info").asLong();
        List<String> bits = new ArrayList<>();
        for (RegisterMap.Field f : RegisterMap.get("ERROR").fields()) {
            if ((error >> f.bit() & 1) != 0) {
                bits.add(f.name() + ": " + f.doc());
            }
        }
        List<String> details = new ArrayList<>();
        for (RegisterMap.Field f : RegisterMap.get("ERROR_INFO").fields()) {
            long v = info >> f.bit() & ((1L << f.width()) - 1);
            if (v != 0) {
                details.add(f.name() + " " + (f.name().endsWith("RESP") ? RESP[(int) v] : String.format(Locale.ROOT, "0x%X", v)));
            }
        }
        StringBuilder b = new StringBuilder("the kernel stopped on an error it reported: ERROR ")
                .append(String.format(Locale.ROOT, "0x%X", error));
        if (!bits.isEmpty()) {
            b.append(" (").append(String.join("; ", bits)).append(')');
        }
        b.append(", ERROR_INFO ").append(String.format(Locale.ROOT, "0x%08X", info));
        if (!details.isEmpty()) {
            b.append(" (").append(String.join(", ", details)).append(')');
        }
        b.append(", after ").append(run.path("n_tokens").asLong()).append(" tokens (POSITIONS ")
                .append(run.path("positions").asLong()).append(')');
        if (memory.injectRresp() != 0) {
            b.append("; --inject-rresp ").append(memory.injectRresp()).append(" answered read burst ")
                    .append(memory.injectRresp()).append(" with SLVERR");
        }
        return b.toString();
    }

    private static final String[] RESP = {"OKAY", "EXOKAY", "SLVERR", "DECERR"};
}
