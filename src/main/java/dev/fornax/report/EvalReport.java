package dev.fornax.report;

import dev.fornax.golden.QualityMeter;
import dev.fornax.golden.QualityReport;
import dev.fornax.ir.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The eval part (DIR/report/eval.json, {@code fornax eval --report DIR}): the int8 golden model
 * against the float engine, teacher-forced — the summary, every row's logit cosine, KL and
 * largest |Δlogit| with both argmaxes along the sequence, and the hidden-state cosine per layer.
 */
public final class EvalReport {
    private EvalReport() {}

    /** @return DIR/report.html */
    public static Path write(Path dir, ModelSpec s, String modelName, QualityReport r, int[] tokens, String text) {
        Map<String, Object> part = new TreeMap<>();
        part.put("model", CompileReport.model(s, modelName, null));
        part.put("positions", r.positions());
        part.put("top1_matches", r.top1Matches());
        part.put("top1_agreement", finite(r.top1Agreement()));
        part.put("confident_lead", QualityMeter.CONFIDENT_LEAD);
        part.put("confident_positions", r.confidentPositions());
        part.put("confident_matches", r.confidentMatches());
        part.put("cosine_mean", finite(r.cosineMean()));
        part.put("cosine_min", finite(r.cosineMin()));
        part.put("kl_mean", finite(r.klMean()));
        part.put("max_abs_delta", finite(r.maxAbsDelta()));
        part.put("perplexity_float", finite(r.perplexityFloat()));
        part.put("perplexity_int8", finite(r.perplexityInt8()));
        List<Integer> ids = new ArrayList<>();
        for (int t : tokens) {
            ids.add(t);
        }
        part.put("tokens", ids);
        part.put("text", text);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QualityReport.Row row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("position", row.position());
            m.put("cosine", row.cosine());
            m.put("kl", row.kl());
            m.put("max_abs_delta", row.maxAbsDelta());
            m.put("float_top1", row.floatTop1());
            m.put("int8_top1", row.int8Top1());
            m.put("float_lead", row.floatLead());
            rows.add(m);
        }
        part.put("rows", rows);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (QualityReport.LayerCosine l : r.hiddenCosine()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", l.layer());
            m.put("mean", finite(l.mean()));
            m.put("min", finite(l.min()));
            layers.add(m);
        }
        part.put("hidden_cosine", layers);
        return Report.update(dir, "eval", part);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
