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

    @Test
    void floatEngineTellsTheStoryLlama2cTells() throws Exception {
        CliRun r = CliRun.of("demo", "--engine", "float");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(CliRun.resource("/dev/fornax/engine/llama2c-runc/run-n64-once-upon-a-time.txt"));
        assertThat(r.err()).startsWith("[demo] stories260K.bin, float engine: 60 new tokens");
    }
}
