package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.testing.Shared;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogitsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesLittleEndianRowsThatMatchTransformers() throws Exception {
        Path fixture = Shared.require("fixtures/hf/qwen2");
        String ids = Files.readString(fixture.resolve("ref/seq1.ids.txt")).trim().replace(' ', ',');
        Path out = tmp.resolve("seq1.f32");
        CliRun r = CliRun.of("logits", fixture.toString(), "--tokens", ids, "--out", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        byte[] expected = Files.readAllBytes(fixture.resolve("ref/seq1.logits.f32"));
        byte[] actual = Files.readAllBytes(out);
        assertThat(actual).hasSameSizeAs(expected);
        ByteBuffer a = ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer e = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        double worst = 0;
        while (a.hasRemaining()) {
            worst = Math.max(worst, Math.abs(a.getFloat() - e.getFloat()));
        }
        assertThat(worst).isLessThanOrEqualTo(1e-4);
        try (var files = Files.list(tmp)) {
            assertThat(files).as("no temporary file left").containsExactly(out);
        }
    }

    @Test
    void rowIIsTheLogitsAfterTokensZeroToI() throws Exception {
        Path full = tmp.resolve("full.f32");
        Path prefix = tmp.resolve("prefix.f32");
        String bin = "models/stories260K/stories260K.bin";
        assertThat(CliRun.of("logits", bin, "--tokens", "1,403,407,261", "--out", full.toString()).exit()).isZero();
        assertThat(CliRun.of("logits", bin, "--tokens", "1,403", "--out", prefix.toString()).exit()).isZero();
        byte[] f = Files.readAllBytes(full);
        byte[] p = Files.readAllBytes(prefix);
        assertThat(f).hasSize(4 * 512 * 4);
        assertThat(java.util.Arrays.copyOf(f, p.length)).isEqualTo(p);
    }

    @Test
    void badOutputAndTokensAreClearErrors() throws Exception {
        String bin = "models/stories260K/stories260K.bin";
        CliRun noDir = CliRun.of("logits", bin, "--tokens", "1,2", "--out", tmp.resolve("no/dir/x.f32").toString());
        assertThat(noDir.exit()).isEqualTo(1);
        assertThat(noDir.err()).startsWith("fornax: --out ").contains("does not exist");
        CliRun isDir = CliRun.of("logits", bin, "--tokens", "1,2", "--out", tmp.toString());
        assertThat(isDir.exit()).isEqualTo(1);
        assertThat(isDir.err()).contains("is a directory");
        CliRun badTokens = CliRun.of("logits", bin, "--tokens", "1,600", "--out", tmp.resolve("x.f32").toString());
        assertThat(badTokens.exit()).isEqualTo(1);
        assertThat(badTokens.err()).isEqualTo(
                "fornax: --tokens: token id 600 (item 2) is outside the model's vocabulary [0, 512)\n");
        try (var files = Files.list(tmp)) {
            assertThat(files).isEmpty();
        }
    }
}
