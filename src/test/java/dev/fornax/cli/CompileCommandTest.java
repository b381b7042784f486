package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fornax compile}: outputs, defaults, determinism and one-line errors. */
class CompileCommandTest {
    private static final String STORIES = "models/stories260K/stories260K.bin";

    @TempDir
    Path tmp;

    @Test
    void writesDesignManifestAndIsDeterministic() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        CliRun r = CliRun.of("compile", STORIES, "-o", a.toString(), "--context", "32");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("weights: rom (default").contains("compiled stories260K");
        assertThat(CliRun.of("compile", STORIES, "-o", b.toString(), "--context", "32").exit()).isZero();
        JsonNode m = new ObjectMapper().readTree(a.resolve("manifest.json").toFile());
        assertThat(m.path("top").asText()).isEqualTo("fornax_top");
        assertThat(m.path("context").asInt()).isEqualTo(32);
        assertThat(m.path("lanes").asInt()).isEqualTo(16);
        assertThat(m.path("numerics_version").asInt()).isEqualTo(1);
        for (JsonNode f : m.path("rtl")) {
            assertThat(a.resolve(f.asText())).exists();
        }
        // every hashed file is byte-identical between the two runs, and so is the manifest
        m.path("sha256").fieldNames().forEachRemaining(f -> assertThat(a.resolve(f)).hasSameBinaryContentAs(b.resolve(f)));
        assertThat(Files.readString(a.resolve("manifest.json"))).isEqualTo(Files.readString(b.resolve("manifest.json")));
        assertThat(m.path("sha256").has("mem/weights.mem")).isTrue();
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void dramModeWritesOneImage() throws Exception {
        Path d = tmp.resolve("d");
        CliRun r = CliRun.of("compile", STORIES, "-o", d.toString(), "--context", "16", "--weights", "dram",
                "--lanes", "64", "--axi-width", "256");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(d.resolve("manifest.json").toFile());
        assertThat(m.path("dram_image").asText()).isEqualTo("mem/dram.bin");
        assertThat(m.path("axi_data_width").asInt()).isEqualTo(256);
        assertThat(d.resolve("mem/dram.bin")).exists();
        assertThat(d.resolve("mem/weights.mem")).doesNotExist();
        assertThat(m.path("memory_map").path("dram").path("bytes").asLong())
                .isEqualTo(Files.size(d.resolve("mem/dram.bin")));
        // the image is hashed while it is written: the recorded hash is the file's
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(d.resolve("mem/dram.bin"))));
        assertThat(m.path("sha256").path("mem/dram.bin").asText()).isEqualTo(sha);
    }

    @Test
    void badOptionsAreOneLineErrors() {
        String out = tmp.resolve("x").toString();
        assertError(CliRun.of("compile", STORIES, "-o", out, "--lanes", "12"), "--lanes must be a power of two");
        assertError(CliRun.of("compile", STORIES, "-o", out, "--lanes", "4096"), "--lanes must be a power of two");
        assertError(CliRun.of("compile", STORIES, "-o", out, "--context", "513"), "--context 513 is outside 1..512");
        assertError(CliRun.of("compile", STORIES, "-o", out, "--weights", "flash"), "--weights must be rom or dram");
        assertError(CliRun.of("compile", STORIES, "-o", out, "--axi-width", "128"), "--axi-width applies to");
        assertError(CliRun.of("compile", STORIES, "-o", out, "--weights", "rom", "--axi-ports", "2"), "--axi-ports applies to");
        assertError(CliRun.of("compile", STORIES, "-o", out, "--weights", "dram", "--axi-ports", "3"),
                "--axi-ports must be a power of two");
        assertError(CliRun.of("compile", tmp.resolve("missing.bin").toString(), "-o", out), "missing.bin");
        assertThat(tmp.resolve("x")).doesNotExist();
        java.nio.file.Path foreign = tmp.resolve("notes");
        try {
            java.nio.file.Files.createDirectories(foreign);
            java.nio.file.Files.writeString(foreign.resolve("keep.txt"), "mine");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertError(CliRun.of("compile", STORIES, "-o", foreign.toString()), "is not a fornax design");
        assertThat(foreign.resolve("keep.txt")).exists();
    }

    private static void assertError(CliRun r, String message) {
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: ").contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
    }
}
