package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.testing.FornaxProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard output that cannot be written (a full disk, /dev/full, a closed pipe): every command
 * exits 1 with one line on stderr instead of exit 0 with its output lost (issue 13 item 3).
 */
class StdoutWriteErrorTest {
    private static final String STORIES = "models/stories260K/stories260K.bin";

    @TempDir
    Path tmp;

    /** Main.run with a System.out whose every write fails, as /dev/full does (ENOSPC). */
    private static CliRun withFullStdout(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }
            }, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new CliRun(exit, "", err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void failsWithOneLine(CliRun r) {
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).endsWith("fornax: cannot write to standard output\n"); // progress lines may come first
        assertThat(r.err().split("fornax: ", -1)).hasSize(2);
    }

    @Test
    void everyCommandThatPrintsFailsOnAFullStdout() {
        failsWithOneLine(withFullStdout("inspect", STORIES));
        failsWithOneLine(withFullStdout("inspect", STORIES, "--json"));
        failsWithOneLine(withFullStdout("tokenize", STORIES, "--text", "Once upon a time"));
        failsWithOneLine(withFullStdout("tokenize", STORIES, "--decode", "1,403", "--json"));
        failsWithOneLine(withFullStdout("generate", STORIES, "--prompt", "Once", "-n", "3", "--json"));
        failsWithOneLine(withFullStdout("generate", STORIES, "--prompt", "Once", "-n", "3"));
        failsWithOneLine(withFullStdout("eval", STORIES, "--tokens", "1,403,407", "--json"));
        failsWithOneLine(withFullStdout("demo", "--engine", "float", "-n", "3"));
        failsWithOneLine(withFullStdout("tiny", "--arch", "llama", "-o", tmp.resolve("tiny").toString()));
        failsWithOneLine(withFullStdout("compile", STORIES, "-o", tmp.resolve("design").toString()));
        failsWithOneLine(withFullStdout("--help"));
        failsWithOneLine(withFullStdout("inspect", "--help"));
        failsWithOneLine(withFullStdout("--version"));
    }

    @Test
    void aUsageErrorKeepsItsOwnExitCode() {
        CliRun r = withFullStdout("inspect", "--no-such-option", STORIES);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("fornax: Unknown option: '--no-such-option'");
    }

    @Test
    void aClosedPipeEndsGenerateWithExit1AtTheFirstWrite() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        try (FornaxProcess p = FornaxProcess.start(repo, Map.of(), false, "generate", STORIES, "--prompt",
                "Once upon a time", "-n", "200", "--ignore-eos")) {
            p.process().getInputStream().close(); // the reader went away: writes fail with EPIPE
            int exit = p.waitFor(Duration.ofSeconds(60));
            assertThat(exit).as(p.err()).isEqualTo(1);
            assertThat(p.err()).isEqualTo("fornax: cannot write to standard output: broken pipe\n");
        }
    }
}
