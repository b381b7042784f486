package dev.fornax.golden;

import dev.fornax.FornaxException;
import dev.fornax.engine.FloatEngine;
import dev.fornax.engine.Generator;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the int8 golden model and the float engine side by side, teacher-forced on the same token
 * sequences, and measures the distance (a {@link QualityReport}): logits row by row, and the
 * residual stream after every layer (int8 dequantised vs float).
 */
public final class Int8VsFloat {
    private Int8VsFloat() {}

    /** Compares every sequence from position 0; rows of all sequences are pooled. */
    public static QualityReport compare(FloatEngine floatEngine, Int8Engine int8Engine, List<int[]> sequences) {
        return compare(floatEngine, int8Engine, sequences, () -> { });
    }

    /** As {@link #compare(FloatEngine, Int8Engine, List)}, calling {@code afterPosition} after each position (progress). */
    public static QualityReport compare(FloatEngine floatEngine, Int8Engine int8Engine, List<int[]> sequences,
            Runnable afterPosition) {
        QualityMeter meter = new QualityMeter();
        for (int s = 0; s < sequences.size(); s++) {
            add(meter, s, floatEngine, int8Engine, sequences.get(s), afterPosition);
        }
        return meter.report();
    }

    /** Adds one sequence's rows (and hidden states) to {@code meter}. */
    public static void add(QualityMeter meter, int sequence, FloatEngine floatEngine, Int8Engine int8Engine, int[] tokens) {
        add(meter, sequence, floatEngine, int8Engine, tokens, () -> { });
    }

    private static void add(QualityMeter meter, int sequence, FloatEngine floatEngine, Int8Engine int8Engine, int[] tokens,
            Runnable afterPosition) {
        if (floatEngine.spec().vocab() != int8Engine.spec().vocab()
                || floatEngine.spec().layers() != int8Engine.spec().layers()) {
            throw new IllegalArgumentException("the two engines run different models");
        }
        Generator.checkTokens(floatEngine.spec(), tokens, "token sequence");
        int context = Math.min(floatEngine.spec().contextLength(), int8Engine.model().context());
        if (tokens.length > context) {
            throw new FornaxException(tokens.length + " tokens exceed the context of " + context + " positions");
        }
        int layers = floatEngine.spec().layers();
        float[][] floatHidden = new float[layers][];
        double[][] intHidden = new double[layers][];
        floatEngine.setHiddenStates((layer, h) -> floatHidden[layer] = h.clone());
        int8Engine.setTrace((layer, op, values, exps) -> {
            if (op == TraceOp.RESID) {
                double[] d = new double[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = Math.scalb((double) values[i], exps[0]);
                }
                intHidden[layer] = d;
            }
        });
        try {
            floatEngine.reset();
            int8Engine.reset();
            for (int p = 0; p < tokens.length; p++) {
                Arrays.fill(floatHidden, null);
                Arrays.fill(intHidden, null);
                float[] f = floatEngine.step(tokens[p]);
                float[] q = int8Engine.step(tokens[p]);
                meter.addRow(sequence, p, f, q, p + 1 < tokens.length ? tokens[p + 1] : -1);
                for (int l = 0; l < layers; l++) {
                    meter.addHidden(l, floatHidden[l], intHidden[l]);
                }
                afterPosition.run();
            }
        } finally {
            floatEngine.setHiddenStates(null);
            int8Engine.setTrace(null);
        }
    }
}
