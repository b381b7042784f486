package dev.fornax.golden;

import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates the int8-vs-float comparison of teacher-forced logits rows (and optionally hidden
 * states) over one or more sequences, and summarises them as a {@link QualityReport}. Positions
 * of all sequences are pooled.
 */
public final class QualityMeter {
    /** A float top-1 lead at least this large is "confident": int8 must agree there. */
    public static final double CONFIDENT_LEAD = 0.5;

    private int positions;
    private int matches;
    private int confident;
    private int confidentMatches;
    private double cosineSum;
    private double cosineMin = Double.POSITIVE_INFINITY;
    private double absDeltaSum;
    private long deltaCount;
    private double absDeltaMax;
    private double klSum;
    private double klMax;
    private double nllFloat;
    private double nllInt8;
    private int scored;
    private final List<QualityReport.Disagreement> disagreements = new ArrayList<>();
    private final List<QualityReport.Row> rows = new ArrayList<>();
    private final List<double[]> layerCosine = new ArrayList<>(); // per layer: {sum, min, count}

    /**
     * Adds one position.
     *
     * @param sequence  index of the sequence (for the disagreement list)
     * @param position  position in that sequence
     * @param next      the token that follows in the sequence (scored for perplexity), or −1 at the end
     */
    public void addRow(int sequence, int position, float[] floatLogits, float[] int8Logits, int next) {
        int n = floatLogits.length;
        if (int8Logits.length != n) {
            throw new IllegalArgumentException("logits rows differ in length: " + n + " vs " + int8Logits.length);
        }
        int fTop = argmax(floatLogits);
        int iTop = argmax(int8Logits);
        double lead = lead(floatLogits, fTop);
        positions++;
        boolean agree = fTop == iTop;
        if (agree) {
            matches++;
        } else {
            disagreements.add(new QualityReport.Disagreement(sequence, position, fTop, iTop, lead));
        }
        if (lead >= CONFIDENT_LEAD) {
            confident++;
            if (agree) {
                confidentMatches++;
            }
        }
        double c = cosine(floatLogits, int8Logits);
        cosineSum += c;
        cosineMin = Math.min(cosineMin, c);
        double rowMax = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.abs((double) floatLogits[i] - int8Logits[i]);
            absDeltaSum += d;
            rowMax = Math.max(rowMax, d);
        }
        absDeltaMax = Math.max(absDeltaMax, rowMax);
        deltaCount += n;
        double[] lpF = logSoftmax(floatLogits);
        double[] lpI = logSoftmax(int8Logits);
        double kl = 0;
        for (int i = 0; i < n; i++) {
            kl += Math.exp(lpF[i]) * (lpF[i] - lpI[i]);
        }
        kl = Math.max(0, kl);
        klSum += kl;
        klMax = Math.max(klMax, kl);
        rows.add(new QualityReport.Row(sequence, position, c, kl, rowMax, fTop, iTop, lead));
        if (next >= 0) {
            nllFloat -= lpF[next];
            nllInt8 -= lpI[next];
            scored++;
        }
    }

    /** Adds one hidden state (the residual stream after {@code layer}) of both models. */
    public void addHidden(int layer, float[] floatHidden, double[] int8Hidden) {
        while (layerCosine.size() <= layer) {
            layerCosine.add(new double[] {0, Double.POSITIVE_INFINITY, 0});
        }
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < floatHidden.length; i++) {
            dot += floatHidden[i] * int8Hidden[i];
            a += (double) floatHidden[i] * floatHidden[i];
            b += int8Hidden[i] * int8Hidden[i];
        }
        double c = a == 0 && b == 0 ? 1 : (a == 0 || b == 0 ? 0 : dot / Math.sqrt(a * b));
        double[] acc = layerCosine.get(layer);
        acc[0] += c;
        acc[1] = Math.min(acc[1], c);
        acc[2]++;
    }

    public QualityReport report() {
        List<QualityReport.LayerCosine> layers = new ArrayList<>();
        for (int l = 0; l < layerCosine.size(); l++) {
            double[] acc = layerCosine.get(l);
            layers.add(new QualityReport.LayerCosine(l, acc[2] == 0 ? Double.NaN : acc[0] / acc[2],
                    acc[2] == 0 ? Double.NaN : acc[1]));
        }
        return new QualityReport(
                positions,
                matches,
                positions == 0 ? Double.NaN : (double) matches / positions,
                confident,
                confidentMatches,
                confident == 0 ? Double.NaN : (double) confidentMatches / confident,
                positions == 0 ? Double.NaN : cosineSum / positions,
                positions == 0 ? Double.NaN : cosineMin,
                deltaCount == 0 ? Double.NaN : absDeltaSum / deltaCount,
                absDeltaMax,
                positions == 0 ? Double.NaN : klSum / positions,
                klMax,
                scored == 0 ? Double.NaN : Math.exp(nllFloat / scored),
                scored == 0 ? Double.NaN : Math.exp(nllInt8 / scored),
                layers,
                disagreements,
                rows);
    }

    /** Index of the largest value, ties → lowest index. */
    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** top-1 minus top-2 (0 for a one-entry row). */
    static double lead(float[] x, int top) {
        double second = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (i != top) {
                second = Math.max(second, x[i]);
            }
        }
        return second == Double.NEGATIVE_INFINITY ? 0 : x[top] - second;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 && nb == 0) {
            return 1;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    static double[] logSoftmax(float[] x) {
        double mx = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            mx = Math.max(mx, v);
        }
        double sum = 0;
        for (float v : x) {
            sum += Math.exp(v - mx);
        }
        double lse = mx + Math.log(sum);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - lse;
        }
        return out;
    }
}
