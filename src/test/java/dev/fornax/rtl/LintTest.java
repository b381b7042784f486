package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.Quantizer;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generated design passes {@code verilator --lint-only -Wall} with nothing silenced: no
 * lint_off in any RTL file and no -Wno option. Configurations span lanes 1..2048, a head_dim that is
 * not a power of two and dims that the lanes do not divide.
 */
class LintTest {
    @TempDir
    Path tmp;

    @Test
    void generatedDesignsAreLintClean() throws Exception {
        Shared.requireTool("verilator");
        lint(TinyWeights.spec(Architecture.LLAMA, 32, 2, 4, 2, 8, 48, 64, 32), 1, 16, "llama-l1");
        lint(TinyWeights.spec(Architecture.QWEN2, 48, 2, 6, 2, 8, 80, 96, 32), 16, 12, "qwen2-l16");
        lint(TinyWeights.spec(Architecture.PHI3, 96, 1, 4, 4, 24, 112, 70, 32), 64, 8, "phi3-l64");
        lint(TinyWeights.spec(Architecture.GEMMA, 32, 2, 2, 1, 16, 64, 80, 32), 2048, 32, "gemma-l2048");
        lint(TinyWeights.spec(Architecture.QWEN2, 48, 2, 6, 2, 8, 80, 96, 32), 16, 12, "qwen2-dram512", "dram", 512);
        lint(TinyWeights.spec(Architecture.LLAMA, 32, 2, 4, 2, 8, 48, 64, 32), 256, 16, "llama-dram64", "dram", 64);
        // several read ports: a lane slice narrower than an AXI beat (4 ports of 64 bits at 16 lanes)
        // and wider than one (2 ports of 512 bits at 256 lanes)
        lint(TinyWeights.spec(Architecture.QWEN2, 48, 2, 6, 2, 8, 80, 96, 32), 16, 12, "qwen2-dram4x64", "dram", 64, 4);
        lint(TinyWeights.spec(Architecture.LLAMA, 32, 2, 4, 2, 8, 48, 64, 32), 256, 16, "llama-dram2x512", "dram", 512, 2);
        // Llama 3.2 1B's attention shape (32 heads over 8 kv heads) at context 1024: the score tags
        // {head, position} need 17 bits
        lint(TinyWeights.spec(Architecture.LLAMA, 64, 1, 32, 8, 2, 64, 64, 1024), 16, 1024, "llama32h-ctx1024");
    }

    @Test
    void libraryHasNoWaivers() throws IOException {
        for (String f : DesignGenerator.LIBRARY) {
            try (var in = getClass().getResourceAsStream("/rtl/" + f)) {
                String text = new String(in.readAllBytes());
                assertThat(text).as(f).doesNotContain("lint_off").doesNotContain("verilator public");
            }
        }
    }

    private void lint(ModelSpec s, int lanes, int context, String name) throws Exception {
        lint(s, lanes, context, name, "rom", 0);
    }

    private void lint(ModelSpec s, int lanes, int context, String name, String weights, int axi) throws Exception {
        lint(s, lanes, context, name, weights, axi, 1);
    }

    private void lint(ModelSpec s, int lanes, int context, String name, String weights, int axi, int ports)
            throws Exception {
        RtlModel m = RtlModel.from(Quantizer.quantize(new TinyWeights(s, 7), context));
        Path out = tmp.resolve(name);
        DesignInfo info = DesignGenerator.generate(m, new DesignGenerator.Options(name, lanes, context, weights, axi, null,
                ports, 0, AxiPlan.DEFAULT_MEM_LATENCY), out).info();
        List<String> cmd = new ArrayList<>(List.of("verilator", "--lint-only", "-Wall", "-Irtl", "--top-module",
                info.top()));
        cmd.addAll(info.rtlFiles());
        Process p = new ProcessBuilder(cmd).directory(out.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        assertThat(log).as("lint log of %s", name).isEmpty();
        assertThat(rc).isZero();
        assertThat(Files.readString(out.resolve("rtl/fornax_top.v"))).doesNotContain("lint_off");
    }
}
