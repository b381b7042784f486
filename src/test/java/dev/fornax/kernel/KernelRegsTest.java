package dev.fornax.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.testing.Shared;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fornax_kernel_regs alone in Icarus, driven over AXI4-Lite by src/test/resources/rtl/kernel_regs_tb.v,
 * whose expectations are the Vitis ap_ctrl_hs control words written with literal offsets (not the
 * generated include): reset values, AP_START/AP_DONE/AP_IDLE/AP_READY with clear-on-read, one run per
 * start, AUTO_RESTART until cleared, the interrupt as GIE && ISR with each IER source (ERROR only on a
 * run that ended with an error), ISR toggle-on-write, write strobes. The whole kernel's interrupt and
 * auto-restart paths with the driver are KernelSimTest's.
 */
class KernelRegsTest {
    @TempDir
    Path tmp;

    @Test
    void controlWordsInterruptAndAutoRestartFollowApCtrlHs() throws Exception {
        Shared.requireTool("iverilog");
        for (String f : List.of("fornax_kernel_regs.v", "kernel_regs_tb.v")) {
            try (InputStream in = KernelRegsTest.class.getResourceAsStream("/rtl/" + f)) {
                assertThat(in).as(f).isNotNull();
                Files.write(tmp.resolve(f), in.readAllBytes());
            }
        }
        Files.writeString(tmp.resolve(KernelWriter.REGS_INCLUDE), RegisterMap.verilogInclude());
        run("iverilog", "-g2005", "-I", ".", "-o", "tb.vvp", "kernel_regs_tb.v", "fornax_kernel_regs.v");
        String out = run("vvp", "-n", "tb.vvp");
        assertThat(out).as(out).doesNotContain("FAIL").contains("PASS 39");
    }

    private String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }
}
