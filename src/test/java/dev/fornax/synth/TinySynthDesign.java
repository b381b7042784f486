package dev.fornax.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.cli.Main;
import dev.fornax.sim.DesignManifest;
import java.nio.file.Path;

/** The small named configuration the synthesis tests run: a tiny llama at lanes 4, weights in rom. */
final class TinySynthDesign {
    private TinySynthDesign() {}

    /** Hidden 32, 1 layer, heads 4/2, intermediate 48, vocab 64, context 16; compiled under {@code tmp}. */
    static DesignManifest compile(Path tmp) {
        Path model = tmp.resolve("tiny");
        assertThat(Main.run("tiny", "--arch", "llama", "--hidden", "32", "--layers", "1", "--heads", "4", "--kv-heads", "2",
                "--intermediate", "48", "--vocab", "64", "--context", "16", "-o", model.toString())).isZero();
        Path out = tmp.resolve("design");
        assertThat(Main.run("compile", model.toString(), "-o", out.toString(), "--lanes", "4", "--weights", "rom")).isZero();
        return DesignManifest.read(out);
    }
}
