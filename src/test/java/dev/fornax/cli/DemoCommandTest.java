package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.testing.Shared;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    /** The simulated hardware tells the integer golden model's story, every logit checked. */
    @Test
    void tellsTheStoryOnSimulatedHardware() throws Exception {
        Shared.requireTool("verilator");
        CliRun golden = CliRun.of("generate", DemoCommand.MODEL, "--prompt", DemoCommand.PROMPT, "-n", "60",
                "--engine", "int8");
        assertThat(golden.exit()).isZero();
        CliRun r = CliRun.of("demo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(golden.out());
        assertThat(r.err()).contains("match: every logit of 64 positions equals the golden model")
                .contains("cycles/token").contains("tokens/s");
    }

    /**
     * stdout and stderr on one terminal: the story's last line ends before the simulator's closing
     * "fornax-sim: done" line (which used to land in the middle of it).
     */
    @Test
    void theStoryEndsItsLineBeforeTheSimulatorsClosingLine() throws Exception {
        Shared.requireTool("verilator");
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
        java.io.PrintStream one = new java.io.PrintStream(both, true, java.nio.charset.StandardCharsets.UTF_8);
        int exit;
        try {
            System.setOut(one);
            System.setErr(one);
            exit = Main.run(new String[] {"demo", "-n", "20"});
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String screen = both.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(screen).isZero();
        String story = CliRun.of("generate", DemoCommand.MODEL, "--prompt", DemoCommand.PROMPT, "-n", "20",
                "--engine", "int8").out();
        assertThat(screen).contains(story + "fornax-sim: done, ");
    }

    @Test
    void floatEngineTellsTheStoryLlama2cTells() throws Exception {
        CliRun r = CliRun.of("demo", "--engine", "float");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(CliRun.resource("/dev/fornax/engine/llama2c-runc/run-n64-once-upon-a-time.txt"));
        assertThat(r.err()).startsWith("[demo] stories260K.bin, float engine: 60 new tokens");
    }
}
