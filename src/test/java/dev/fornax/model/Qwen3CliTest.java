package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qwen3 through the CLI: tiny writes it, the float engine and the integer golden model run it, and
 * compile refuses it with one line and no output (the RTL has no per-head q/k RMSNorm yet, and a
 * design without it would not be the golden model).
 */
class Qwen3CliTest {
    private static final String REFUSAL = "fornax: qwen3: the hardware has no per-head q/k RMSNorm (q_norm, k_norm)"
            + " yet, so this model cannot be compiled; the float engine and --engine int run it\n";

    @Test
    void tinyRunsInBothEnginesAndCompileRefusesWithOneLine(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("q3");
        Cli tiny = Cli.run("tiny", "--arch", "qwen3", "--layers", "1", "-o", model.toString());
        assertThat(tiny.exit()).as(tiny.err()).isZero();
        assertThat(tiny.out()).contains("qwen3, 1 layers, hidden 64, heads 4/2, head_dim 32");
        for (String engine : new String[] {"float", "int8"}) {
            Path out = tmp.resolve(engine + ".f32");
            Cli r = Cli.run("logits", model.toString(), "--tokens", "1,5,9", "--engine", engine, "--out", out.toString());
            assertThat(r.exit()).as(engine + ": " + r.err()).isZero();
            assertThat(Files.size(out)).isEqualTo(3L * 512 * 4);
        }
        for (String weights : new String[] {"rom", "dram"}) {
            Path design = tmp.resolve("design-" + weights);
            Cli c = Cli.run("compile", model.toString(), "--weights", weights, "-o", design.toString());
            assertThat(c.exit()).isEqualTo(1);
            assertThat(c.err()).isEqualTo(REFUSAL);
            assertThat(c.out()).isEmpty();
            assertThat(design).doesNotExist();
        }
    }
}
