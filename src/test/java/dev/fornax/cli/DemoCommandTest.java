package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void tellsTheStoryLlama2cTells() throws Exception {
        CliRun r = CliRun.of("demo");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(CliRun.resource("/dev/fornax/engine/llama2c-runc/run-n64-once-upon-a-time.txt"));
        assertThat(r.err()).startsWith("[demo] stories260K.bin, float engine: 60 new tokens");
    }
}
