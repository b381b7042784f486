package dev.fornax.model;

import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelWeights;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: every weight of a model, decoded, under canonical IR names. */
final class WeightDump {
    private WeightDump() {}

    static float[] all(Matrix m) {
        float[] out = new float[m.rows() * m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.readRow(r, out, r * m.cols());
        }
        return out;
    }

    static Map<String, float[]> of(ModelWeights w) {
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("embedding", all(w.embedding()));
        out.put("lmHead", all(w.lmHead()));
        out.put("finalNorm", w.finalNorm());
        for (int i = 0; i < w.spec().layers(); i++) {
            LayerWeights l = w.layer(i);
            String p = "layer" + i + ".";
            out.put(p + "attnNorm", l.attnNorm());
            out.put(p + "wq", all(l.wq()));
            out.put(p + "wk", all(l.wk()));
            out.put(p + "wv", all(l.wv()));
            if (l.bq() != null) {
                out.put(p + "bq", l.bq());
                out.put(p + "bk", l.bk());
                out.put(p + "bv", l.bv());
            }
            out.put(p + "wo", all(l.wo()));
            out.put(p + "ffnNorm", l.ffnNorm());
            out.put(p + "wGate", all(l.wGate()));
            out.put(p + "wUp", all(l.wUp()));
            out.put(p + "wDown", all(l.wDown()));
        }
        return out;
    }
}
