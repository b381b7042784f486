package dev.fornax.fuzz;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The property every parser fuzz target checks: on any input, a valid result or a
 * {@link FornaxException} whose message names the input file; never another exception (a finding
 * for Jazzer), never more than {@link #MAX_ALLOCATED_BYTES} allocated for one input. A hang is
 * caught by libFuzzer's per-input {@code -timeout} (pom.xml, fuzz execution).
 *
 * <p>Inputs are written to files in a private scratch directory (the parsers read files), which is
 * reused from one execution to the next.
 */
public final class FuzzProperty {
    /** Per input: far above what a few-KiB input legitimately needs, far below the fork's heap. */
    public static final long MAX_ALLOCATED_BYTES = 256L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static Path scratch;

    private FuzzProperty() {}

    /** The code under test: may throw FornaxException; anything else is a finding. */
    @FunctionalInterface
    public interface Parse {
        void run() throws Exception;
    }

    /** A fresh, empty directory for this input (the same path every time). */
    public static synchronized Path freshDirectory() {
        try {
            if (scratch == null) {
                scratch = Files.createTempDirectory("fornax-fuzz");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(scratch)));
            }
            Path dir = scratch.resolve("in");
            delete(dir);
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code parse}; a FornaxException must name {@code input} (a file, or the directory whose
     * files are the input) and be one line of bounded length.
     */
    public static void check(Path input, Parse parse) throws Exception {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        try {
            parse.run();
        } catch (FornaxException e) {
            String m = e.getMessage();
            if (m == null || !m.contains(input.toString())) {
                throw new AssertionError("the message does not name the input " + input + ": " + m, e);
            }
            if (m.length() > 2000) {
                throw new AssertionError("a message of " + m.length() + " characters", e);
            }
        }
        long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
        if (allocated > MAX_ALLOCATED_BYTES) {
            throw new AssertionError("one input allocated " + (allocated >> 20) + " MiB (bound "
                    + (MAX_ALLOCATED_BYTES >> 20) + " MiB)");
        }
    }

    private static void delete(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
