package dev.fornax.report;

import dev.fornax.ir.ModelSpec;
import dev.fornax.rtl.Schedule;
import dev.fornax.rtl.perf.PerformanceModel;
import dev.fornax.sim.DesignManifest;
import dev.fornax.sim.IdealCycles;
import dev.fornax.sim.SimRequest;
import dev.fornax.sim.SimResults;
import dev.fornax.sim.Verification;
import dev.fornax.sim.Verifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verify part (DIR/report/verify.json): the simulation's settings (simulator, stall
 * probability and seed, the memory model's read latency per port and
 * refresh-like blackouts, the number of read ports), the verdict, the text, and per position
 * the measured cycles next to the analytic model and the ideal, the AXI beats and the matrix-phase
 * figures; and the performance model on every board with the simulated cycles per token.
 */
public final class VerifyReport {
    private VerifyReport() {}

    /** @return DIR/report.html */
    public static Path write(DesignManifest m, ModelSpec s, Verification.Report r, Verification.Options o, String text) {
        Verifier.Result v = r.verdict();
        Verifier.SequenceResult seq = r.sequence();
        int lanes = m.design().lanes();
        Map<String, Object> part = new TreeMap<>();
        Map<String, Object> settings = new TreeMap<>();
        settings.put("simulator", r.simulator().cliName());
        settings.put("stall_probability", o.stall());
        settings.put("stall_seed", o.seed());
        SimRequest.Memory mem = o.memory();
        settings.put("axi_read_latency_cycles", mem.latency()); // per read port (one value: every port)
        settings.put("axi_blackout_every", mem.blackoutEvery());
        settings.put("axi_blackout_cycles", mem.blackoutCycles());
        settings.put("axi_read_ports", m.design().weights().equals("dram") ? Math.max(1, m.design().dramRegions().size()) : 0);
        settings.put("weights", m.design().weights());
        settings.put("axi_data_width", m.design().axiDataWidth());
        settings.put("lanes", lanes);
        part.put("settings", settings);
        part.put("match", v.match() && (r.trace() == null || r.trace().first() == null));
        part.put("positions_compared", v.positionsCompared());
        part.put("mismatch", v.mismatch() == null ? null : v.mismatch().describe());
        part.put("error", v.error());
        part.put("prompt_tokens", seq.prompt());
        part.put("tokens", seq.tokens());
        part.put("stop_reason", seq.stopReason());
        part.put("text", text);
        part.put("total_cycles", v.sim().totalCycles());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SimResults.Position p : v.sim().positions()) {
            if (p.sequence() != 0) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("position", p.position());
            row.put("token", p.token());
            row.put("prediction", p.prediction());
            row.put("cycles", p.cycles());
            row.put("model_cycles", Schedule.ops(s, lanes, p.position()).stream().mapToLong(Schedule.Op::cycles).sum());
            row.put("ideal_cycles", IdealCycles.at(s, lanes, p.position()));
            row.put("axi_beats", p.axiBeats());
            row.put("matrix_cycles", p.matrixCycles());
            row.put("matrix_beats", p.matrixBeats());
            rows.add(row);
        }
        part.put("positions", rows);
        if (!seq.tokens().isEmpty()) {
            part.put("cycles_per_token", seq.cyclesPerToken());
            part.put("ideal_cycles_per_token", seq.idealCyclesPerToken());
            part.put("axi_beats_per_token", seq.axiBeatsPerToken());
            double util = seq.axiMatrixUtilisation();
            part.put("axi_matrix_utilisation", Double.isNaN(util) ? null : util);
            // the board figures with the simulated mean cycles per generated token
            PerformanceModel pm = PerformanceModel.predicted(s, lanes, m.design().weights(), m.design().context(), 0,
                    m.design().axiDataWidth(), seq.cyclesPerToken()).withCycles(seq.cyclesPerToken(), "simulated");
            part.put("performance", CompileReport.performance(pm));
        }
        return Report.update(m.dir(), "verify", part);
    }
}
