package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.fornax.testing.FornaxProcess;
import dev.fornax.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM in the middle of a command that writes (issue 13 item 4): the exit status is
 * the signal's, stderr says "fornax: interrupted; removed ..." in one line, no temporary output is
 * left, and no child process (verilator, make, cc1plus) survives.
 */
class SignalTest {
    @TempDir
    Path tmp;

    private static final Path REPO = Path.of("").toAbsolutePath();

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Polls until a file in {@code dir} matches, or the process ended (then fails). */
    private static void awaitEntry(FornaxProcess p, Path dir, Predicate<String> match) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir) && names(dir).stream().anyMatch(match)) {
                return;
            }
            assertThat(p.process().isAlive()).as("still running; stderr: " + p.err()).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("no matching entry in " + dir + " within 120 s");
    }

    private static void interruptedCleanly(FornaxProcess p, int status) {
        int exit = p.waitFor(Duration.ofSeconds(30));
        assertThat(exit).as(p.err()).isEqualTo(status);
        assertThat(p.err()).contains("fornax: interrupted; removed ");
        String last = p.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).startsWith("fornax: interrupted");
        assertThat(p.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void sigtermDuringTinyLeavesNoHiddenTemporary() throws Exception {
        Path out = tmp.resolve("model");
        try (FornaxProcess p = FornaxProcess.start(REPO, Map.of(), "tiny", "--arch", "llama", "--hidden", "512",
                "--layers", "8", "--intermediate", "2048", "--vocab", "32000", "--heads", "8", "--kv-heads", "2",
                "-o", out.toString())) {
            awaitEntry(p, tmp, n -> n.startsWith(".model.tmp-"));
            p.signal("TERM");
            interruptedCleanly(p, 143);
        }
        assertThat(names(tmp)).isEmpty();
    }

    @Test
    void sigintDuringCompileLeavesNoTemporaryDesign() throws Exception {
        assumeFalse(FornaxProcess.sigintIgnored() && !Shared.inCi(), "SIGINT is ignored in this JVM, so in its children");
        Path model = tmp.resolve("model");
        CliRun w = CliRun.of("tiny", "--arch", "llama", "--hidden", "512", "--layers", "4", "--intermediate", "1024",
                "--vocab", "8000", "--heads", "8", "--kv-heads", "2", "-o", model.toString());
        assertThat(w.exit()).as(w.err()).isZero();
        Path design = tmp.resolve("design");
        String signal = FornaxProcess.sigintIgnored() ? "TERM" : "INT";
        try (FornaxProcess p = FornaxProcess.start(REPO, Map.of(), "compile", model.toString(), "--weights", "rom",
                "-o", design.toString())) {
            awaitEntry(p, tmp, n -> n.startsWith("design.tmp-"));
            p.signal(signal);
            interruptedCleanly(p, signal.equals("INT") ? 130 : 143);
        }
        assertThat(names(tmp)).containsExactly("model");
    }

    @Test
    void sigtermDuringTheVerilatorBuildKillsMakeAndCompilersAndLeavesNoCacheTemporary() throws Exception {
        Shared.requireTool("verilator");
        Path design = tmp.resolve("design");
        CliRun c = CliRun.of("compile", "models/stories260K/stories260K.bin", "-o", design.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        Path cache = tmp.resolve("cache");
        try (FornaxProcess p = FornaxProcess.start(REPO, Map.of("FORNAX_CACHE", cache.toString()), "verify",
                design.toString(), "--tokens", "1,403", "-n", "1")) {
            awaitEntry(p, cache.resolve("verilator"), n -> n.contains(".tmp-"));
            // wait for the compilers: the whole tree below verilator must die with fornax
            List<ProcessHandle> tree = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                tree = p.process().descendants().toList();
                if (tree.stream().anyMatch(h -> h.info().command().orElse("").endsWith("make"))) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(tree).as("verilator's make is running").isNotEmpty();
            p.signal("TERM");
            interruptedCleanly(p, 143);
            for (ProcessHandle h : tree) {
                h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(h.isAlive()).as("child " + h.pid() + " " + h.info().command().orElse("")).isFalse();
            }
        }
        // the cache did not exist: the interrupted first build leaves not even its directories
        assertThat(cache).doesNotExist();
    }
}
