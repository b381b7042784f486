package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.sim.DesignManifest;
import dev.fornax.sim.Simulator;
import dev.fornax.sim.Verification;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code fornax generate DIR --engine rtl}: greedy generation by the simulated hardware, which is
 * {@code fornax verify} printing like generate — the text streams as the hardware predicts each
 * token, and every logit is still compared with the golden model (a mismatch ends with exit 1).
 * DIR is a design written by {@code fornax compile} (its manifest names the model and tokenizer).
 */
final class RtlGenerate {
    static final String ENGINE = "rtl";

    private RtlGenerate() {}

    static int run(Path designDir, Path tokenizer, String prompt, String tokens, int maxNew, boolean ignoreEos, boolean json) {
        if (!Files.isRegularFile(designDir.resolve("manifest.json"))) {
            throw new FornaxException("--engine rtl runs a compiled design: give the directory that fornax compile wrote"
                    + " (fornax compile MODEL -o DIR), not " + designDir);
        }
        DesignManifest m = DesignManifest.read(designDir);
        if (tokenizer != null) {
            m = new DesignManifest(m.dir(), m.design(), m.modelSource(), tokenizer, m.json());
        }
        Verification.Options o = new Verification.Options(Simulator.VERILATOR, 0, 1, null, false);
        return VerifyCommand.run(m, prompt, tokens, maxNew, ignoreEos, o, json, true, DemoCommand.ASSUMED_CLOCK_HZ,
                false, true);
    }
}
