package dev.fornax.rtl.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The board table that {@code compile} and {@code verify} print: per board the assumed clock and
 * bandwidth, the compute- and bandwidth-bound tokens/s, the estimate and what limits it. Plain text
 * (aligned columns) for the terminal, Markdown for bench/RESULTS.md and the docs.
 */
public final class PerformanceTable {
    private PerformanceTable() {}

    static final String[] HEADER = {"board", "clock (assumed)", "DRAM bandwidth (assumed)", "AXI port",
        "compute-bound tok/s", "bandwidth-bound tok/s", "tok/s", "limited by", "fits DRAM"};
    private static final int TOKENS_COLUMN = 6;

    /** One summary line, then the table, then a line saying what is assumed. */
    public static List<String> lines(PerformanceModel m, List<Board> boards) {
        List<String> out = new ArrayList<>();
        out.add(summary(m));
        out.addAll(align(rows(m, boards)));
        out.add(footnote());
        return out;
    }

    /** The same table in Markdown (summary and footnote as paragraphs around it). */
    public static List<String> markdown(PerformanceModel m, List<Board> boards) {
        List<String[]> rows = rows(m, boards);
        List<String> out = new ArrayList<>();
        out.add(summary(m));
        out.add("");
        out.add("| " + String.join(" | ", rows.get(0)) + " |");
        out.add("|" + "---|".repeat(rows.get(0).length));
        for (String[] r : rows.subList(1, rows.size())) {
            out.add("| " + String.join(" | ", r) + " |");
        }
        out.add("");
        out.add(footnote());
        return out;
    }

    /**
     * The roofline view for bench/RESULTS.md (issue 10): per board the assumed clock, the DRAM peak,
     * what the design's ports carry through the board's fabric ports, the memory roofline (DRAM peak ÷
     * the unpadded bytes a token needs), the compute-bound tok/s of the given cycles, the projected
     * tok/s = min(compute-bound, bandwidth-bound) and that as a percentage of the roofline.
     */
    public static List<String> rooflineMarkdown(PerformanceModel m, List<Board> boards) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "| board | clock (assumed) | DRAM peak | %d × %d-bit design ports through the"
                + " board's ports | roofline tok/s | compute-bound tok/s (%s cycles) | projected tok/s | %% of roofline"
                + " | limited by |", m.axiPorts(), m.axiDataWidth(), m.cyclesSource()));
        out.add("|" + "---|".repeat(9));
        for (PerformanceModel.BoardEstimate e : m.estimates(boards)) {
            Board b = e.board();
            double f = e.rooflineFraction();
            out.add("| " + String.join(" | ", b.name(),
                    String.format(Locale.ROOT, "%.0f MHz", b.clockHz() / 1e6),
                    gbps(b.dramBytesPerSec()),
                    Double.isNaN(e.axiPortBytesPerSec()) ? "n/a" : gbps(e.axiPortBytesPerSec()),
                    Double.isInfinite(e.roofline()) ? "n/a" : rate(e.roofline()),
                    rate(e.computeBound()),
                    rate(e.tokensPerSec()),
                    Double.isNaN(f) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * f),
                    e.limit().label) + " |");
        }
        return out;
    }

    static String summary(PerformanceModel m) {
        String where = m.weights() == PerformanceModel.Placement.DRAM ? "weights in DRAM" : "weights on chip";
        String kv = m.kv() == PerformanceModel.Placement.DRAM ? "KV cache in DRAM" : "KV cache on chip";
        String cycles = String.format(Locale.ROOT, "ideal %,.0f cycles/token", m.idealCyclesPerToken());
        if (m.axiBoundCyclesPerToken() > m.idealCyclesPerToken()) {
            cycles += String.format(Locale.ROOT, " (AXI port bound %,.0f)", m.axiBoundCyclesPerToken());
        }
        if (!m.cyclesSource().equals("ideal")) {
            cycles += String.format(Locale.ROOT, ", %s %,.0f (%.2fx ideal)", m.cyclesSource(), m.cyclesPerToken(),
                    m.cyclesPerToken() / m.idealCyclesPerToken());
        }
        return String.format(Locale.ROOT,
                "performance model (position %d, lanes %d, %s, %s%s): %,d MACs/token, %s;"
                        + " %s weights/token, %s KV traffic/token, %s from DRAM/token",
                m.position(), m.lanes(), where, kv,
                m.dramBytesPerToken() > 0 ? ", AXI " + m.axiDataWidth() + " bits" : "",
                m.macsPerToken(), cycles,
                bytes(m.weightBytesPerToken()), bytes(m.kvBytesPerToken()), bytes(m.dramBytesPerToken()));
    }

    static String footnote() {
        return "assumed: clocks are design targets, not timing results; bandwidths are data-sheet peaks"
                + " (docs/PERFORMANCE.md lists the sources); tok/s = min(compute-bound, bandwidth-bound)";
    }

    static List<String[]> rows(PerformanceModel m, List<Board> boards) {
        List<String[]> rows = new ArrayList<>();
        String[] header = HEADER.clone();
        header[TOKENS_COLUMN] = "tok/s (" + m.cyclesSource() + ")";
        rows.add(header);
        for (PerformanceModel.BoardEstimate e : m.estimates(boards)) {
            Board b = e.board();
            rows.add(new String[] {
                b.name(),
                String.format(Locale.ROOT, "%.0f MHz", b.clockHz() / 1e6),
                gbps(b.dramBytesPerSec()),
                Double.isNaN(e.axiPortBytesPerSec()) ? "n/a" : gbps(e.axiPortBytesPerSec()),
                rate(e.computeBound()),
                Double.isInfinite(e.bandwidthBound()) ? "no DRAM traffic" : rate(e.bandwidthBound()),
                rate(e.tokensPerSec()),
                e.limit().label,
                e.fits() == null ? "n/a" : e.fits() ? "yes" : "no"
            });
        }
        return rows;
    }

    private static List<String> align(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(r[i]).append(" ".repeat(width[i] - r[i].length()));
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }

    /** Tokens/s with three significant figures for small values, whole numbers from 100 up. */
    static String rate(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String gbps(double bytesPerSec) {
        double v = bytesPerSec / 1e9;
        return (v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + " GB/s";
    }

    /** Decimal units (MB = 10^6 bytes), as bandwidths are quoted. */
    static String bytes(long b) {
        if (b >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f GB", b / 1e9);
        }
        if (b >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        }
        if (b >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f kB", b / 1e3);
        }
        return b + " B";
    }
}
