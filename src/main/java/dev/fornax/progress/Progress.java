package dev.fornax.progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work (download, compile, Verilator build, simulation, evaluation), always on
 * stderr so stdout and --json output stay clean.
 * <ul>
 * <li>On a terminal: one bar redrawn in place (at most ten times a second), finished with a
 *     summary line; work that fails is wiped from the line, so the error line stands alone.
 * <li>Otherwise (a log, a pipe): plain lines, one at each quarter and one when done, and only for
 *     work that has run {@value #QUIET_SECONDS} s, so short runs (and their one-line errors) print
 *     nothing extra and logs hold no carriage returns or escape codes.
 * </ul>
 * FORNAX_PROGRESS (or the system property fornax.progress, which the test JVM sets to off) chooses
 * explicitly: {@code bar}, {@code lines} (every line, from the start) or {@code off}. Work of
 * unknown length (a Verilator build) shows its elapsed time, redrawn each second ({@link #ticking}).
 */
public final class Progress implements AutoCloseable {
    /** How progress is shown. */
    public enum Mode { BAR, LINES, OFF }

    /** What the counted units are: bytes are shown as kB/MB/GB, other units by their name. */
    public record Unit(String name, boolean bytes) {
        public static final Unit BYTES = new Unit("bytes", true);

        public static Unit of(String name) {
            return new Unit(name, false);
        }
    }

    static final int QUIET_SECONDS = 5;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;
    private static final String[] SCALES = {"kB", "MB", "GB"};

    private final PrintStream err;
    private final Mode mode;
    private final long quietUntil;
    private final String task;
    private final Unit unit;
    private final LongSupplier clock;
    private final long startNanos;
    private long total;
    private long done;
    private String detail = "";
    private int quartersShown;
    private boolean shownAny;
    private long lastDraw = Long.MIN_VALUE;
    private int drawnWidth;
    private boolean closed;

    /** @param quietSeconds lines mode: print nothing before this much time has passed (0: from the start) */
    Progress(PrintStream err, Mode mode, int quietSeconds, String task, long total, Unit unit, LongSupplier clock) {
        this.err = err;
        this.mode = mode;
        this.task = task;
        this.total = Math.max(0, total);
        this.unit = unit;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        this.quietUntil = startNanos + quietSeconds * 1_000_000_000L;
        if (mode == Mode.LINES && quietSeconds == 0) {
            err.println(task + ": " + (this.total > 0 ? amount(this.total) : "started"));
            err.flush();
            shownAny = true;
        }
        draw(true);
    }

    /** Starts showing the progress of {@code task} towards {@code total} units (0: unknown). */
    public static Progress start(String task, long total, Unit unit) {
        String explicit = setting();
        Mode mode = mode();
        int quiet = mode == Mode.LINES && explicit == null ? QUIET_SECONDS : 0;
        return new Progress(System.err, mode, quiet, task, total, unit, System::nanoTime);
    }

    /**
     * Work whose length is unknown: on a terminal the bar line shows the elapsed seconds, redrawn
     * every second by a daemon thread until {@link #close}; as lines, only the final line.
     */
    public static Progress ticking(String task) {
        Progress p = start(task, 0, Unit.of("s"));
        if (p.mode == Mode.BAR) {
            Thread t = new Thread(() -> {
                try {
                    while (!p.isClosed()) {
                        Thread.sleep(1000);
                        p.tick();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fornax-progress");
            t.setDaemon(true);
            t.start();
        }
        return p;
    }

    /** A progress that shows nothing (small preliminary work inside a larger task). */
    public static Progress silent() {
        return new Progress(System.err, Mode.OFF, 0, "", 0, Unit.BYTES, System::nanoTime);
    }

    /** The mode for stderr: FORNAX_PROGRESS when set, else a bar on a terminal and lines otherwise. */
    public static Mode mode() {
        String s = setting();
        if (s != null) {
            switch (s) {
                case "bar": return Mode.BAR;
                case "lines": return Mode.LINES;
                default: return Mode.OFF;
            }
        }
        return stderrIsTerminal() && !"dumb".equals(System.getenv("TERM")) ? Mode.BAR : Mode.LINES;
    }

    /** bar, lines or off when set (the system property first: the test JVM sets it), else null. */
    private static String setting() {
        String s = System.getProperty("fornax.progress", System.getenv("FORNAX_PROGRESS"));
        if (s == null || s.isBlank()) {
            return null;
        }
        s = s.strip().toLowerCase(Locale.ROOT);
        return s.equals("bar") || s.equals("lines") ? s : "off";
    }

    /** Linux: fd 2 of this process is a terminal device. Anything else counts as not a terminal. */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** A byte count as people read it: 812 B, 6.3 kB, 494.0 MB, 1.2 GB. */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    public synchronized void advance(long units) {
        set(done + units);
    }

    public synchronized void set(long units) {
        done = Math.max(0, units);
        draw(false);
    }

    /** A short note after the figures (the file being fetched). */
    public synchronized void detail(String text) {
        detail = text == null ? "" : text;
        draw(false);
    }

    /** Sets the total once it is known. */
    public synchronized void total(long units) {
        total = Math.max(0, units);
        draw(false);
    }

    public synchronized long done() {
        return done;
    }

    /**
     * Ends the display. Finished work (all units done, or an unknown total) gets a summary line;
     * unfinished work (an error is on its way) leaves nothing: the bar is wiped.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean finished = total == 0 || done >= total;
        long now = clock.getAsLong();
        String summary = String.format(Locale.ROOT, "%s: done, %s in %.1f s", task,
                total == 0 && !unit.bytes() ? "" : amount(done), (now - startNanos) / 1e9).replace("done,  in", "done in");
        if (mode == Mode.BAR) {
            err.print(finished ? "\r" + pad(summary) + "\n" : "\r" + pad("") + "\r");
            err.flush();
        } else if (mode == Mode.LINES && finished && (shownAny || now >= quietUntil)) {
            err.println(summary);
            err.flush();
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void tick() {
        if (!closed) {
            done = (clock.getAsLong() - startNanos) / 1_000_000_000L;
            lastDraw = Long.MIN_VALUE;
            draw(false);
        }
    }

    private void draw(boolean first) {
        if (closed || mode == Mode.OFF) {
            return;
        }
        long now = clock.getAsLong();
        if (mode == Mode.LINES) {
            int quarter = total > 0 ? (int) Math.min(4, done * 4 / total) : 0;
            if (quarter > quartersShown && quarter < 4 && now >= quietUntil) {
                quartersShown = quarter;
                shownAny = true;
                err.println(String.format(Locale.ROOT, "%s: %d%% (%s of %s)%s", task, quarter * 25, figure(done),
                        amount(total), detail.isEmpty() ? "" : ", " + detail));
                err.flush();
            }
            return;
        }
        if (!first && now - lastDraw < REDRAW_NANOS && (total == 0 || done < total)) {
            return;
        }
        lastDraw = now;
        StringBuilder b = new StringBuilder(task).append(' ');
        if (total > 0) {
            double f = Math.min(1.0, (double) done / total);
            int filled = (int) Math.round(f * BAR_WIDTH);
            b.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
            b.append(String.format(Locale.ROOT, "%3d%% %s/%s", (int) (f * 100), figure(done), amount(total)));
        } else {
            b.append(amount(done));
        }
        double seconds = (now - startNanos) / 1e9;
        if (unit.bytes() && seconds > 0.5) {
            b.append(String.format(Locale.ROOT, " %.1f MB/s", done / 1e6 / seconds));
        }
        if (!detail.isEmpty()) {
            b.append("  ").append(detail);
        }
        err.print("\r" + pad(clip(b.toString())));
        err.flush();
    }

    private String amount(long n) {
        return figure(n) + " " + (unit.bytes() ? SCALES[scale()] : unit.name());
    }

    /** kB, MB or GB by the size of the whole (so every figure of one display has the same unit). */
    private int scale() {
        long ref = Math.max(total, done);
        return ref < 1_000_000L ? 0 : ref < 1_000_000_000L ? 1 : 2;
    }

    private String figure(long n) {
        return unit.bytes() ? String.format(Locale.ROOT, "%.1f", n / Math.pow(1000, scale() + 1)) : Long.toString(n);
    }

    private static String clip(String s) {
        int width = columns() - 1;
        return s.length() > width ? s.substring(0, width) : s;
    }

    /** Pads with spaces over what the previous draw left on the line. */
    private String pad(String s) {
        String out = s.length() < drawnWidth ? s + " ".repeat(drawnWidth - s.length()) : s;
        drawnWidth = s.length();
        return out;
    }

    private static int columns() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
            return c >= 20 ? c : 100;
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
