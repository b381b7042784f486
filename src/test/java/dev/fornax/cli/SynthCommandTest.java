package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fornax synth} refuses bad input with one line and writes nothing. */
class SynthCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryWithoutManifestIsRefused() {
        CliRun r = CliRun.of("synth", tmp.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: ").contains("is not a compiled design").doesNotContain("Exception");
        assertThat(Files.exists(tmp.resolve("synth.json"))).isFalse();
    }

    @Test
    void placeAndRouteNeedsIce40() {
        CliRun r = CliRun.of("synth", tmp.toString(), "--family", "xc7", "--pnr");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--pnr places and routes on an iCE40 only");
    }

    @Test
    void unknownFamilyIsNamed() {
        CliRun r = CliRun.of("synth", tmp.toString(), "--family", "virtex2");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("unknown --family 'virtex2'");
    }
}
