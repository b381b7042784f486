package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelWeights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reads every weight once and fails on the first NaN or infinity, naming the tensor, row and
 * column. Loading is lazy, so this is how {@code inspect} (and anyone who wants to know up front)
 * finds bad weights; otherwise the first consumer to read the row reports it.
 */
public final class WeightCheck {
    private WeightCheck() {}

    /** @return the number of values checked (a tied lm_head counted once) */
    public static long requireFinite(ModelWeights w) {
        long count = 0;
        Set<Matrix> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        count += vector("model.norm.weight", w.finalNorm());
        for (Matrix m : matrices(w)) {
            if (!seen.add(m)) {
                continue;
            }
            float[] row = new float[m.cols()];
            for (int r = 0; r < m.rows(); r++) {
                m.readRow(r, row, 0);
                MappedMatrix.requireFinite(m.name(), null, r, row, 0, row.length);
            }
            count += (long) m.rows() * m.cols();
        }
        for (int i = 0; i < w.spec().layers(); i++) {
            LayerWeights l = w.layer(i);
            String p = "layer " + i + " ";
            count += vector(p + "attention norm", l.attnNorm()) + vector(p + "mlp norm", l.ffnNorm());
            count += vector(p + "q bias", l.bq()) + vector(p + "k bias", l.bk()) + vector(p + "v bias", l.bv());
            count += vector(p + "q_norm", l.qNorm()) + vector(p + "k_norm", l.kNorm());
        }
        return count;
    }

    private static List<Matrix> matrices(ModelWeights w) {
        List<Matrix> out = new ArrayList<>(List.of(w.embedding(), w.lmHead()));
        for (int i = 0; i < w.spec().layers(); i++) {
            LayerWeights l = w.layer(i);
            out.addAll(List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.wGate(), l.wUp(), l.wDown()));
        }
        return out;
    }

    private static long vector(String what, float[] v) {
        if (v == null) {
            return 0;
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new FornaxException(what + " contains " + (Float.isNaN(v[i]) ? "NaN" : "an infinity") + " at index " + i);
            }
        }
        return v.length;
    }
}
