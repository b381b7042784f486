package dev.fornax.sim;

import dev.fornax.FornaxException;
import dev.fornax.io.Interrupts;
import dev.fornax.io.IoErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Finding external tools on PATH and running them with their output captured line by line. */
final class Tools {
    private Tools() {}

    static Path find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, tool);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** The tool's path; a missing tool is a user error naming the Debian package to install. */
    static Path require(String tool, String aptPackage, String purpose) {
        Path p = find(tool);
        if (p == null) {
            throw new FornaxException(tool + " not found on PATH (needed " + purpose + "); install it with: apt-get install "
                    + aptPackage);
        }
        return p;
    }

    /** The result of a finished process: exit code and its merged stdout/stderr lines. */
    record Result(int exitCode, List<String> lines) {
        String tail(int n) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    /**
     * Runs a command in {@code dir}. Its stdout and stderr are read separately (a buffered stdout
     * and an unbuffered stderr sharing one pipe would split each other's lines); every line of
     * either goes to {@code each} (if not null, one line at a time) and is kept when {@code keep}.
     *
     * <p>The tool leads its own process group ({@link Interrupts#groupLeaderCommand}): SIGINT or
     * SIGTERM to fornax kills it and everything it started (make's compilers), and so does any
     * error here that ends the run early. An exception thrown by {@code each} stops the run.
     */
    static Result run(List<String> command, Path dir, Consumer<String> each, boolean keep) {
        ProcessBuilder pb = new ProcessBuilder(Interrupts.groupLeaderCommand(command)).directory(dir.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        List<String> lines = new ArrayList<>();
        RuntimeException[] failure = new RuntimeException[1];
        Process[] started = new Process[1];
        Consumer<String> sink = line -> {
            synchronized (lines) {
                if (failure[0] != null) {
                    return; // keep draining so the tool is never blocked on a full pipe
                }
                try {
                    if (keep) {
                        lines.add(line);
                    }
                    if (each != null) {
                        each.accept(line);
                    }
                } catch (RuntimeException e) {
                    failure[0] = e;
                    if (started[0] != null) {
                        Interrupts.release(started[0]); // no one reads what it would still print
                    }
                }
            }
        };
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new FornaxException("cannot run " + command.get(0) + ": " + IoErrors.describe(e), e);
        }
        Interrupts.track(p);
        started[0] = p;
        try {
            Thread err = new Thread(() -> drain(p.getErrorStream(), sink), "fornax-stderr");
            err.setDaemon(true);
            err.start();
            drain(p.getInputStream(), sink);
            err.join();
            int exit = p.waitFor();
            synchronized (lines) {
                if (failure[0] != null) {
                    throw failure[0];
                }
            }
            return new Result(exit, lines);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FornaxException("interrupted while running " + command.get(0), e);
        } finally {
            Interrupts.release(p);
        }
    }

    private static void drain(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            sink.accept("fornax-sim: error: lost the simulator's output: " + e.getMessage());
        }
    }

    /** First line of a tool's version output, for the build cache key. */
    static String version(Path tool, String flag) {
        Result r = run(List.of(tool.toString(), flag), Path.of("."), null, true);
        return r.lines().isEmpty() ? "unknown" : r.lines().get(0);
    }
}
