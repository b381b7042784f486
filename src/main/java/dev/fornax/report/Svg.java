package dev.fornax.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts drawn from numbers (no chart library, no script needed to see them): grouped
 * bars over categories and lines over x. Every data point is one element of class {@code pt}
 * with a {@code <title>} tooltip, so the page's data can be counted and read back.
 */
final class Svg {
    static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int W = 920;
    private static final int H = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 28;

    private Svg() {}

    /** Bars: one value per category (NaN: no bar). */
    record Bars(String name, double[] values) {}

    /** A line through (x, y) points, drawn with a dot at each. */
    record Line(String name, double[] xs, double[] ys) {}

    static String bars(String id, String yLabel, List<String> categories, List<Bars> series, boolean logY) {
        int n = categories.size();
        double[] range = range(series.stream().flatMap(b -> java.util.Arrays.stream(b.values()).boxed()).toList(), logY, true);
        int labelSpace = labelSpace(categories);
        StringBuilder b = open(id, series.stream().map(Bars::name).toList(), H + labelSpace);
        Axis y = new Axis(range[0], range[1], logY);
        axes(b, y, yLabel, H);
        double plotW = W - LEFT - RIGHT;
        double slot = plotW / Math.max(1, n);
        double barW = Math.max(1, slot * 0.8 / series.size());
        int every = Math.max(1, (int) Math.ceil(n / 60.0));
        for (int i = 0; i < n; i++) {
            double x0 = LEFT + i * slot + slot * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[i];
                if (Double.isNaN(v) || logY && v <= 0) {
                    continue;
                }
                double yv = y.pos(v);
                double base = y.pos(logY ? y.min : Math.max(y.min, 0));
                b.append(String.format(Locale.ROOT, "<rect class=\"pt\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                        + " fill=\"%s\"><title>%s: %s = %s</title></rect>%n", x0 + s * barW, Math.min(yv, base), barW,
                        Math.max(0.5, Math.abs(base - yv)), COLORS[s % COLORS.length], esc(categories.get(i)),
                        esc(series.get(s).name()), num(v)));
            }
            if (i % every == 0) {
                double cx = LEFT + i * slot + slot / 2;
                b.append(String.format(Locale.ROOT, "<text class=\"cat\" transform=\"translate(%.1f,%d) rotate(-55)\""
                        + " text-anchor=\"end\">%s</text>%n", cx, H - 22, esc(categories.get(i))));
            }
        }
        return b.append("</svg>\n").toString();
    }

    static String lines(String id, String xLabel, String yLabel, List<Line> series, boolean zeroBased) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Line l : series) {
            for (int i = 0; i < l.xs().length; i++) {
                if (!Double.isNaN(l.ys()[i])) {
                    xs.add(l.xs()[i]);
                    ys.add(l.ys()[i]);
                }
            }
        }
        double[] yr = range(ys, false, zeroBased);
        double[] xr = range(xs, false, false);
        if (xr[0] == xr[1]) {
            xr = new double[] {xr[0] - 1, xr[1] + 1};
        }
        StringBuilder b = open(id, series.stream().map(Line::name).toList(), H);
        Axis y = new Axis(yr[0], yr[1], false);
        axes(b, y, yLabel, H);
        Axis x = new Axis(xr[0], xr[1], false);
        double plotW = W - LEFT - RIGHT;
        for (double t : x.ticks()) {
            double px = LEFT + (t - x.min) / (x.max - x.min) * plotW;
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    px, H - 26 + 14, num(t)));
        }
        b.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2, H - 2, esc(xLabel)));
        for (int s = 0; s < series.size(); s++) {
            Line l = series.get(s);
            String color = COLORS[s % COLORS.length];
            StringBuilder path = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < l.xs().length; i++) {
                if (Double.isNaN(l.ys()[i])) {
                    continue;
                }
                double px = LEFT + (l.xs()[i] - x.min) / (x.max - x.min) * plotW;
                double py = y.pos(l.ys()[i]);
                path.append(path.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
                dots.append(String.format(Locale.ROOT, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\">"
                        + "<title>%s at %s: %s</title></circle>%n", px, py, color, esc(l.name()), num(l.xs()[i]), num(l.ys()[i])));
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
                    .append(path).append("\"/>\n").append(dots);
        }
        return b.append("</svg>\n").toString();
    }

    private static StringBuilder open(String id, List<String> names, int height) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"plot\" id=\"%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">%n", id, W, height, W, height));
        double x = LEFT;
        for (int i = 0; i < names.size(); i++) {
            b.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"6\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text class=\"legend\" x=\"%.0f\" y=\"15\">%s</text>%n", x, COLORS[i % COLORS.length], x + 14,
                    esc(names.get(i))));
            x += 24 + 6.5 * names.get(i).length();
        }
        return b;
    }

    private static void axes(StringBuilder b, Axis y, String yLabel, int height) {
        int bottom = height - 40;
        b.append(String.format(Locale.ROOT, "<line class=\"frame\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", LEFT, TOP, LEFT,
                bottom));
        b.append(String.format(Locale.ROOT, "<line class=\"frame\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", LEFT, bottom,
                W - RIGHT, bottom));
        for (double t : y.ticks()) {
            double py = y.pos(t);
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py, W - RIGHT, py,
                    LEFT - 4, py + 3, num(t)));
        }
        b.append(String.format(Locale.ROOT, "<text class=\"axis\" transform=\"translate(14,%d) rotate(-90)\""
                + " text-anchor=\"middle\">%s</text>%n", (TOP + bottom) / 2, esc(yLabel)));
    }

    /** A linear or log10 axis mapped onto the plot's height. */
    private static final class Axis {
        final double min;
        final double max;
        final boolean log;

        Axis(double min, double max, boolean log) {
            this.min = min;
            this.max = max;
            this.log = log;
        }

        double pos(double v) {
            int bottom = H - 40;
            double f = log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (v - min) / (max - min);
            return bottom - f * (bottom - TOP);
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            if (log) {
                for (double d = min; d <= max * 1.0001; d *= 10) {
                    t.add(d);
                }
                return t;
            }
            double step = niceStep((max - min) / 5);
            for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
                t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
            }
            return t;
        }
    }

    /** [min, max] of the values with a margin; log axes span whole decades. */
    private static double[] range(List<Double> values, boolean log, boolean zeroBased) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isNaN(v) || Double.isInfinite(v) || log && v <= 0) {
                continue;
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (lo > hi) {
            return log ? new double[] {1, 10} : new double[] {0, 1};
        }
        if (log) {
            return new double[] {Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi) + 1e-12))};
        }
        if (zeroBased) {
            lo = Math.min(0, lo);
            hi = Math.max(0, hi);
        }
        if (lo == hi) {
            double d = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[] {lo - d, hi + d};
        }
        double step = niceStep((hi - lo) / 5);
        double a = Math.floor(lo / step) * step;
        double z = Math.ceil(hi / step) * step;
        return new double[] {a, z == hi ? z : z};
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    private static int labelSpace(List<String> categories) {
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        return (int) Math.min(120, 10 + longest * 5.2);
    }

    /** Four significant digits, plain notation where it reads well. */
    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return s;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
