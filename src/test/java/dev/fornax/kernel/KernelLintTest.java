package dev.fornax.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.cli.Main;
import dev.fornax.testing.Shared;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verilator --lint-only -Wall} reports nothing on the kernel of a rom and of a dram design,
 * nor on its library modules across their parameter ranges (no weight port to 32, token ids from 1
 * to 24 bits).
 */
class KernelLintTest {
    private static final Path STORIES = Path.of("models/stories260K/stories260K.bin");

    @TempDir
    Path tmp;

    static String lint(Path dir, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("verilator", "--lint-only", "-Wall"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(String.join(" ", cmd)).isEmpty();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    @Test
    void kernelOfRomAndDramDesignsIsClean() throws Exception {
        Shared.requireTool("verilator");
        for (String w : List.of("rom", "dram")) {
            Path d = tmp.resolve(w);
            assertThat(Main.run("compile", STORIES.toString(), "-o", d.toString(), "--weights", w, "--context", "32"))
                    .isZero();
            JsonNode k = new ObjectMapper().readTree(d.resolve("manifest.json").toFile()).path("kernel");
            List<String> args = new ArrayList<>(List.of("-Irtl", "--top-module", "fornax_kernel"));
            k.path("rtl").forEach(f -> args.add(f.asText()));
            lint(d, args);
        }
    }

    @Test
    void libraryModulesAreCleanAcrossTheirParameters() throws Exception {
        Shared.requireTool("verilator");
        for (String f : List.of("fornax_kernel_regs.v", "fornax_kernel_seq.v", "fornax_axi_writer.v")) {
            try (InputStream in = KernelLintTest.class.getResourceAsStream("/rtl/" + f)) {
                Files.write(tmp.resolve(f), in.readAllBytes());
            }
        }
        Files.writeString(tmp.resolve(KernelWriter.REGS_INCLUDE), RegisterMap.verilogInclude());
        for (int nw : new int[] {0, 1, 4, 32}) {
            int nwp = Math.max(1, nw);
            lint(tmp, List.of("-GNW=" + nw, "-GNWP=" + nwp, "--top-module", "fornax_kernel_regs", "fornax_kernel_regs.v"));
        }
        // {weight ports, observed read ports, token bits, tdata bits, KV in DRAM}
        for (int[] c : new int[][] {{0, 1, 1, 8, 0}, {1, 2, 9, 16, 0}, {4, 5, 18, 24, 1}, {32, 33, 24, 24, 1}}) {
            lint(tmp, List.of("-GNW=" + c[0], "-GNWP=" + Math.max(1, c[0]), "-GNOBS=" + c[1], "-GTOK_W=" + c[2],
                    "-GTDATA_W=" + c[3], "-GKV_DRAM=" + c[4], "--top-module", "fornax_kernel_seq",
                    "fornax_kernel_seq.v", "fornax_axi_writer.v"));
        }
    }
}
