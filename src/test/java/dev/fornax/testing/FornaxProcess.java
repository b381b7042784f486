package dev.fornax.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code fornax} as a separate process (the test classpath's Main, the real {@code main}: its
 * stdout guard, its exit codes, its signal handling), for what an in-process Main.run cannot
 * show: SIGTERM/SIGINT, a closed standard output, child processes left behind.
 */
public final class FornaxProcess implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    private FornaxProcess(Process process, boolean readStdout) {
        this.process = process;
        this.outReader = readStdout ? copy(process.getInputStream(), out) : null;
        this.errReader = copy(process.getErrorStream(), err);
    }

    /** Starts {@code fornax args...} in {@code dir} with extra environment variables. */
    public static FornaxProcess start(Path dir, Map<String, String> env, String... args) {
        return start(dir, env, true, args);
    }

    /**
     * @param readStdout false: the test handles stdout itself ({@link #process()}), e.g. closes it
     */
    public static FornaxProcess start(Path dir, Map<String, String> env, boolean readStdout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.fornax.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            return new FornaxProcess(pb.start(), readStdout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends a signal by number with kill(1) (Process.destroy can only send SIGTERM). */
    public void signal(String name) {
        try {
            Process k = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
            k.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the exit (failing after {@code limit}) and returns the exit code. */
    public int waitFor(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("fornax did not end within " + limit + "; stderr: " + err());
            }
            if (outReader != null) {
                outReader.join();
            }
            errReader.join();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String out() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    public String err() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** True if SIGINT is ignored in this JVM (then children inherit that, and SIGINT cannot be tested). */
    public static boolean sigintIgnored() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static Thread copy(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        }, "fornax-process-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
