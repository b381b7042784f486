package dev.fornax.progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work (download, compile, Verilator build, simulation, evaluation), always on
 * stderr so stdout and --json output stay clean. On a terminal it is one bar redrawn in place
 * (at most ten times a second); otherwise (a log, a pipe, a test) a few plain lines: one at each
 * quarter and one when done, so logs hold no carriage returns or escape codes. FORNAX_PROGRESS
 * chooses explicitly: {@code bar}, {@code lines} or {@code off}.
 */
public final class Progress implements AutoCloseable {
    /** How progress is shown. */
    public enum Mode { BAR, LINES, OFF }

    /** What the counted units are: bytes are shown as MB, other units by their name. */
    public record Unit(String name, boolean bytes) {
        public static final Unit BYTES = new Unit("bytes", true);

        public static Unit of(String name) {
            return new Unit(name, false);
        }
    }

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream err;
    private final Mode mode;
    private final String task;
    private final Unit unit;
    private final LongSupplier clock;
    private final long startNanos;
    private long total;
    private long done;
    private String detail = "";
    private int quartersShown;
    private long lastDraw = Long.MIN_VALUE;
    private int drawnWidth;
    private boolean closed;

    Progress(PrintStream err, Mode mode, String task, long total, Unit unit, LongSupplier clock) {
        this.err = err;
        this.mode = mode;
        this.task = task;
        this.total = Math.max(0, total);
        this.unit = unit;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
        draw(true);
    }

    /** Starts showing the progress of {@code task} towards {@code total} units (0: unknown). */
    public static Progress start(String task, long total, Unit unit) {
        return new Progress(System.err, mode(), task, total, unit, System::nanoTime);
    }

    /** A progress that shows nothing (small preliminary work inside a larger task). */
    public static Progress silent() {
        return new Progress(System.err, Mode.OFF, "", 0, Unit.BYTES, System::nanoTime);
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

    /** The mode for stderr: FORNAX_PROGRESS when set, else a bar on a terminal and lines otherwise. */
    public static Mode mode() {
        String env = System.getenv("FORNAX_PROGRESS");
        if (env != null) {
            switch (env.toLowerCase(Locale.ROOT)) {
                case "bar": return Mode.BAR;
                case "lines": return Mode.LINES;
                case "off": case "0": case "none": return Mode.OFF;
                default: break;
            }
        }
        return stderrIsTerminal() && !"dumb".equals(System.getenv("TERM")) ? Mode.BAR : Mode.LINES;
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

    public synchronized void advance(long units) {
        set(done + units);
    }

    public synchronized void set(long units) {
        done = Math.max(0, units);
        draw(false);
    }

    /** A short note after the figures (the file being fetched, the layer being quantised). */
    public synchronized void detail(String text) {
        detail = text == null ? "" : text;
        draw(false);
    }

    /** Raises or sets the total once it is known (e.g. after the file list is read). */
    public synchronized void total(long units) {
        total = Math.max(0, units);
        draw(false);
    }

    public synchronized long done() {
        return done;
    }

    /** Ends the display: the bar's line is finished; in lines mode a final "done" line. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        double seconds = (clock.getAsLong() - startNanos) / 1e9;
        String summary = String.format(Locale.ROOT, "%s: done, %s in %.1f s", task, amount(done), seconds);
        if (mode == Mode.BAR) {
            err.print("\r" + pad(summary) + "\n");
            err.flush();
        } else if (mode == Mode.LINES) {
            err.println(summary);
            err.flush();
        }
    }

    private void draw(boolean first) {
        if (closed || mode == Mode.OFF) {
            return;
        }
        if (mode == Mode.LINES) {
            int quarter = total > 0 ? (int) Math.min(4, done * 4 / total) : 0;
            if (first) {
                err.println(task + ": " + (total > 0 ? amount(total) : "started"));
                err.flush();
            } else if (quarter > quartersShown && quarter < 4) {
                quartersShown = quarter;
                err.println(String.format(Locale.ROOT, "%s: %d%% (%s of %s)%s", task, quarter * 25, amount(done),
                        amount(total), detail.isEmpty() ? "" : ", " + detail));
                err.flush();
            }
            return;
        }
        long now = clock.getAsLong();
        if (!first && now - lastDraw < REDRAW_NANOS && done < total) {
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

    private static final String[] SCALES = {"kB", "MB", "GB"};

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
