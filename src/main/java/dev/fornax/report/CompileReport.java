package dev.fornax.report;

import dev.fornax.engine.Parallel;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.progress.CountingWeights;
import dev.fornax.progress.Progress;
import dev.fornax.rtl.DesignInfo;
import dev.fornax.rtl.Schedule;
import dev.fornax.rtl.perf.Board;
import dev.fornax.rtl.perf.PerformanceModel;
import dev.fornax.sim.IdealCycles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The compile part of the report (DIR/report/compile.json): the model and design, the weight
 * quantisation error of every matrix and layer ({@link QuantError}, one extra read of the float
 * weights), the analytic cycle model of every op at position 0 ({@link Schedule#ops}), on-chip
 * memory, and the performance model on every board preset.
 */
public final class CompileReport {
    private CompileReport() {}

    /**
     * @param manifest the design's manifest (its {@code on_chip_memory_bits} are reported as written)
     * @return DIR/report.html
     */
    public static Path write(Path dir, ModelWeights w, String modelName, String source, DesignInfo info,
            Map<String, Object> manifest) {
        ModelSpec s = w.spec();
        Map<String, Object> part = new TreeMap<>();
        part.put("model", model(s, modelName, source));
        Map<String, Object> design = new TreeMap<>();
        design.put("top", info.top());
        design.put("lanes", info.lanes());
        design.put("context", info.context());
        design.put("weights", info.weights());
        design.put("axi_data_width", info.axiDataWidth());
        design.put("rtl_files", info.rtlFiles().size());
        design.put("memory_files", info.memFiles().size());
        part.put("design", design);
        try (Parallel parallel = Parallel.ofAvailableProcessors();
                Progress progress = Progress.start("report: quantisation error of " + modelName, CountingWeights.rows(s),
                        Progress.Unit.of("rows"))) {
            part.put("quantisation", quantisation(QuantError.measure(new CountingWeights(w, progress), parallel)));
        }
        part.put("schedule", schedule(s, info.lanes()));
        part.put("on_chip_memory_bits", manifest.get("on_chip_memory_bits"));
        double predicted = Schedule.ops(s, info.lanes(), 0).stream().mapToLong(Schedule.Op::cycles).sum();
        PerformanceModel pm = PerformanceModel.predicted(s, info.lanes(), info.weights(), info.context(), 0,
                info.axiDataWidth(), predicted);
        part.put("performance", performance(pm));
        return Report.update(dir, "compile", part);
    }

    static Map<String, Object> model(ModelSpec s, String name, String source) {
        Map<String, Object> m = new TreeMap<>();
        m.put("name", name);
        m.put("source", source);
        m.put("architecture", s.architecture().modelType());
        m.put("layers", s.layers());
        m.put("hidden", s.hidden());
        m.put("heads", s.heads());
        m.put("kv_heads", s.kvHeads());
        m.put("head_dim", s.headDim());
        m.put("intermediate", s.intermediate());
        m.put("vocab", s.vocab());
        m.put("parameters", s.parameters());
        return m;
    }

    private static Map<String, Object> quantisation(List<QuantError.Of> errors) {
        Map<String, Object> q = new TreeMap<>();
        q.put("method", "per-row symmetric INT8 (s = max|w|/127, q = round(w/s)); error = ||W - s*Q|| / ||W||"
                + " (Frobenius) and max |w - s*q|, from the float weights the compiler read");
        List<Map<String, Object>> ms = new ArrayList<>();
        Map<Integer, double[]> perLayer = new TreeMap<>();
        for (QuantError.Of e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("layer", e.layer());
            m.put("kind", e.kind());
            m.put("rows", e.rows());
            m.put("cols", e.cols());
            m.put("rel_rms_error", e.relRms());
            m.put("max_abs_error", e.maxAbsError());
            m.put("max_abs_weight", e.maxAbsWeight());
            ms.add(m);
            if (e.layer() >= 0) {
                double[] acc = perLayer.computeIfAbsent(e.layer(), k -> new double[2]);
                acc[0] += e.sumSqWeight();
                acc[1] += e.sumSqError();
            }
        }
        q.put("matrices", ms);
        List<Map<String, Object>> ls = new ArrayList<>();
        perLayer.forEach((layer, acc) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("rel_rms_error", acc[0] == 0 ? 0 : Math.sqrt(acc[1] / acc[0]));
            ls.add(m);
        });
        q.put("layers", ls);
        return q;
    }

    private static Map<String, Object> schedule(ModelSpec s, int lanes) {
        Map<String, Object> m = new TreeMap<>();
        m.put("position", 0);
        m.put("source", "analytic model of the core's schedule (Schedule.ops), not a measurement");
        List<Map<String, Object>> ops = new ArrayList<>();
        long total = 0;
        for (Schedule.Op op : Schedule.ops(s, lanes, 0)) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("layer", op.layer());
            o.put("op", op.op());
            o.put("cycles", op.cycles());
            ops.add(o);
            total += op.cycles();
        }
        m.put("ops", ops);
        m.put("total_cycles", total);
        m.put("ideal_cycles", IdealCycles.at(s, lanes, 0));
        return m;
    }

    /** The performance model on every board preset; the same shape for the predicted and the simulated figure. */
    static Map<String, Object> performance(PerformanceModel pm) {
        Map<String, Object> m = new TreeMap<>();
        m.put("position", pm.position());
        m.put("cycles_per_token", pm.cyclesPerToken());
        m.put("cycles_source", pm.cyclesSource());
        m.put("axi_data_width", pm.axiDataWidth());
        m.put("weight_bytes_per_token", pm.weightBytesPerToken());
        m.put("fetched_weight_bytes_per_token", pm.fetchedWeightBytesPerToken());
        m.put("kv_bytes_per_token", pm.kvBytesPerToken());
        m.put("dram_bytes_per_token", pm.dramBytesPerToken());
        m.put("assumptions", "board clocks are the presets' targets (not timing results); DRAM bandwidths are"
                + " data-sheet peaks, assumed reachable");
        List<Map<String, Object>> boards = new ArrayList<>();
        for (PerformanceModel.BoardEstimate e : pm.estimates(Board.PRESETS)) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("id", e.board().id());
            b.put("name", e.board().name());
            b.put("clock_hz", e.board().clockHz());
            b.put("tokens_per_s", e.tokensPerSec());
            b.put("compute_bound_tokens_per_s", e.computeBound());
            b.put("bandwidth_bound_tokens_per_s", Double.isFinite(e.bandwidthBound()) ? e.bandwidthBound() : null);
            b.put("limited_by", e.limit().label);
            b.put("fits_dram", e.fits());
            boards.add(b);
        }
        m.put("boards", boards);
        return m;
    }
}
