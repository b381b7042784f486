package dev.fornax.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * report.html from the parts: one self-contained page (inline CSS and SVG, a few lines of script
 * that only count what is drawn; no network), sections in a fixed order, each drawn from the part
 * that holds its data, or a line saying which command adds it.
 */
final class ReportHtml {
    private ReportHtml() {}

    static String render(Map<String, JsonNode> parts) {
        JsonNode compile = parts.get("compile");
        JsonNode verify = parts.get("verify");
        JsonNode eval = parts.get("eval");
        JsonNode synth = parts.get("synth");
        StringBuilder b = new StringBuilder();
        String title = "Fornax report" + (model(parts) == null ? "" : " — " + model(parts));
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Svg.esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<h1>").append(Svg.esc(title)).append("</h1>\n");
        b.append("<p class=\"note\">Parts: ").append(Svg.esc(String.join(", ", parts.keySet())))
                .append(". Every figure states where it comes from: <b>model</b> figures are analytic (Schedule,")
                .append(" PerformanceModel), <b>measured</b> ones come from the simulator or the engines.</p>\n");
        summary(b, compile, verify, eval, synth);
        quantisation(b, compile, eval);
        agreement(b, verify, eval);
        cycles(b, compile, verify);
        memory(b, compile, verify);
        boards(b, compile, verify);
        synthesis(b, synth);
        text(b, verify, eval);
        b.append("<p class=\"note\" id=\"drawn\"></p>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static String model(Map<String, JsonNode> parts) {
        for (String p : new String[] {"compile", "eval"}) {
            JsonNode n = parts.get(p);
            if (n != null && n.path("model").hasNonNull("name")) {
                return n.path("model").path("name").asText();
            }
        }
        return null;
    }

    private static void summary(StringBuilder b, JsonNode compile, JsonNode verify, JsonNode eval, JsonNode synth) {
        Map<String, String> rows = new LinkedHashMap<>();
        if (compile != null) {
            JsonNode m = compile.path("model");
            JsonNode d = compile.path("design");
            rows.put("model", m.path("architecture").asText() + ", " + m.path("layers").asInt() + " layers, hidden "
                    + m.path("hidden").asInt() + ", heads " + m.path("heads").asInt() + "/" + m.path("kv_heads").asInt()
                    + ", vocab " + m.path("vocab").asInt() + ", " + String.format("%,d", m.path("parameters").asLong())
                    + " parameters");
            rows.put("design", d.path("top").asText() + ": lanes " + d.path("lanes").asInt() + ", context "
                    + d.path("context").asInt() + ", weights " + d.path("weights").asText()
                    + (d.path("weights").asText().equals("dram") ? ", AXI " + d.path("axi_data_width").asInt() + " bits" : ""));
        }
        if (verify != null) {
            JsonNode s = verify.path("settings");
            rows.put("verify", (verify.path("match").asBoolean() ? "match: every logit of " + verify.path("positions_compared").asInt()
                    + " positions equals the golden model" : "MISMATCH: " + verify.path("mismatch").asText(verify.path("error").asText()))
                    + " (" + s.path("simulator").asText() + ", stall " + Svg.num(s.path("stall_probability").asDouble())
                    + ", " + memory(s) + ")");
            if (verify.has("cycles_per_token")) {
                rows.put("cycles/token (measured)", Svg.num(verify.path("cycles_per_token").asDouble()) + " (ideal MACs/LANES "
                        + Svg.num(verify.path("ideal_cycles_per_token").asDouble()) + ")");
            }
        }
        if (eval != null) {
            rows.put("int8 vs float (eval)", "top-1 " + eval.path("top1_matches").asInt() + "/" + eval.path("positions").asInt()
                    + ", logit cosine mean " + Svg.num(eval.path("cosine_mean").asDouble()) + ", min "
                    + Svg.num(eval.path("cosine_min").asDouble()) + ", KL mean " + Svg.num(eval.path("kl_mean").asDouble())
                    + " nats");
        }
        if (synth != null) {
            rows.put("timing estimate (synth)", synth.path("estimated_fmax_mhz").isNumber()
                    ? Svg.num(synth.path("estimated_fmax_mhz").asDouble()) + " MHz (" + synth.path("family").asText() + ")"
                    : "no estimate (" + synth.path("family").asText() + ")");
        }
        b.append("<h2>Summary</h2>\n");
        table(b, rows);
    }

    private static void quantisation(StringBuilder b, JsonNode compile, JsonNode eval) {
        b.append("<h2>Quantisation error: INT8 against float</h2>\n");
        if (compile == null) {
            missing(b, "fornax compile MODEL -o DIR");
        } else {
            JsonNode q = compile.path("quantisation");
            b.append("<p class=\"note\">").append(Svg.esc(q.path("method").asText())).append("</p>\n");
            List<String> cats = new ArrayList<>();
            List<Double> rel = new ArrayList<>();
            List<Double> max = new ArrayList<>();
            for (JsonNode m : q.path("matrices")) {
                int layer = m.path("layer").asInt();
                cats.add((layer >= 0 ? "L" + layer + " " : "") + m.path("kind").asText());
                rel.add(100 * m.path("rel_rms_error").asDouble());
                max.add(m.path("max_abs_error").asDouble() / Math.max(1e-30, m.path("max_abs_weight").asDouble()) * 100);
            }
            figure(b, "Per matrix: relative RMS error and largest error relative to the largest weight (%)",
                    Svg.bars("quant-matrix", "% of the weights", cats, List.of(new Svg.Bars("RMS error / RMS weight", arr(rel)),
                            new Svg.Bars("max |error| / max |w|", arr(max))), false));
            List<String> lc = new ArrayList<>();
            List<Double> lv = new ArrayList<>();
            for (JsonNode l : q.path("layers")) {
                lc.add("layer " + l.path("layer").asInt());
                lv.add(100 * l.path("rel_rms_error").asDouble());
            }
            figure(b, "Per layer: relative RMS error of its seven matrices together (%)",
                    Svg.bars("quant-layer", "% RMS", lc, List.of(new Svg.Bars("RMS error / RMS weight", arr(lv))), false));
        }
        if (eval != null && eval.path("hidden_cosine").size() > 0) {
            List<String> lc = new ArrayList<>();
            List<Double> mean = new ArrayList<>();
            List<Double> min = new ArrayList<>();
            for (JsonNode l : eval.path("hidden_cosine")) {
                lc.add("layer " + l.path("layer").asInt());
                mean.add(1 - l.path("mean").asDouble());
                min.add(1 - l.path("min").asDouble());
            }
            figure(b, "Per layer, measured (fornax eval): 1 − cosine of the residual stream after the layer, int8 golden"
                    + " model against the float engine", Svg.bars("hidden-cosine", "1 − cosine", lc,
                    List.of(new Svg.Bars("mean over positions", arr(mean)), new Svg.Bars("worst position", arr(min))), false));
        }
    }

    private static void agreement(StringBuilder b, JsonNode verify, JsonNode eval) {
        b.append("<h2>Logit agreement along the sequence</h2>\n");
        if (eval == null) {
            missing(b, "fornax eval MODEL --text FILE --report DIR");
        } else {
            List<Double> pos = new ArrayList<>();
            List<Double> cos = new ArrayList<>();
            List<Double> kl = new ArrayList<>();
            List<Double> delta = new ArrayList<>();
            List<Double> top1 = new ArrayList<>();
            for (JsonNode r : eval.path("rows")) {
                pos.add(r.path("position").asDouble());
                cos.add(r.path("cosine").asDouble());
                kl.add(r.path("kl").asDouble());
                delta.add(r.path("max_abs_delta").asDouble());
                top1.add(r.path("float_top1").asInt() == r.path("int8_top1").asInt() ? 1.0 : 0.0);
            }
            double[] x = arr(pos);
            figure(b, "int8 golden model against the float engine, teacher-forced (fornax eval): logit cosine per position",
                    Svg.lines("eval-cosine", "position", "cosine", List.of(new Svg.Line("logit cosine", x, arr(cos))), false));
            figure(b, "Top-1 agreement per position (1: both argmaxes equal)", Svg.lines("eval-top1", "position",
                    "top-1 agrees", List.of(new Svg.Line("top-1 agrees", x, arr(top1))), true));
            figure(b, "KL(float ‖ int8) per position, nats", Svg.lines("eval-kl", "position", "nats",
                    List.of(new Svg.Line("KL", x, arr(kl))), true));
            figure(b, "Largest |Δlogit| per position", Svg.lines("eval-delta", "position", "|Δlogit|",
                    List.of(new Svg.Line("max |float − int8|", x, arr(delta))), true));
        }
        if (verify != null) {
            List<Double> pos = new ArrayList<>();
            List<Double> equal = new ArrayList<>();
            int compared = verify.path("positions_compared").asInt();
            for (JsonNode p : verify.path("positions")) {
                int i = p.path("position").asInt();
                pos.add((double) i);
                equal.add(i < compared ? 1.0 : 0.0);
            }
            figure(b, "Simulated hardware against the integer golden model (fornax verify): 1 where every logit of the"
                    + " position is equal (the comparison stops at the first difference)",
                    Svg.lines("verify-equal", "position", "all logits equal", List.of(new Svg.Line("RTL = golden", arr(pos),
                            arr(equal))), true));
        }
    }

    private static void cycles(StringBuilder b, JsonNode compile, JsonNode verify) {
        b.append("<h2>Cycles</h2>\n");
        if (compile == null) {
            missing(b, "fornax compile MODEL -o DIR");
        } else {
            JsonNode sch = compile.path("schedule");
            Map<String, Double> perOp = new LinkedHashMap<>();
            Map<String, Double> perLayer = new LinkedHashMap<>();
            for (JsonNode op : sch.path("ops")) {
                int layer = op.path("layer").asInt();
                double c = op.path("cycles").asDouble();
                perOp.merge(op.path("op").asText(), c, Double::sum);
                perLayer.merge(layer >= 0 ? "layer " + layer : op.path("op").asText(), c, Double::sum);
            }
            b.append("<p class=\"note\">Model: ").append(Svg.esc(sch.path("source").asText())).append("; position ")
                    .append(sch.path("position").asInt()).append(", ").append(Svg.num(sch.path("total_cycles").asDouble()))
                    .append(" cycles per token (ideal MACs/LANES ").append(Svg.num(sch.path("ideal_cycles").asDouble()))
                    .append(").</p>\n");
            figure(b, "Cycles per op, summed over the layers (model, position 0)", Svg.bars("cycles-op", "cycles",
                    new ArrayList<>(perOp.keySet()), List.of(new Svg.Bars("model", arr(new ArrayList<>(perOp.values())))), false));
            figure(b, "Cycles per layer (model, position 0)", Svg.bars("cycles-layer", "cycles",
                    new ArrayList<>(perLayer.keySet()), List.of(new Svg.Bars("model", arr(new ArrayList<>(perLayer.values())))),
                    false));
        }
        if (verify == null) {
            missing(b, "fornax verify DIR --prompt TEXT");
        } else {
            List<Double> pos = new ArrayList<>();
            List<Double> measured = new ArrayList<>();
            List<Double> model = new ArrayList<>();
            List<Double> ideal = new ArrayList<>();
            for (JsonNode p : verify.path("positions")) {
                pos.add(p.path("position").asDouble());
                measured.add(p.path("cycles").asDouble());
                model.add(p.path("model_cycles").asDouble());
                ideal.add(p.path("ideal_cycles").asDouble());
            }
            double[] x = arr(pos);
            figure(b, "Cycles per token along the sequence: measured in simulation (" + settings(verify) + ") next to"
                    + " the analytic model and the ideal MACs/LANES", Svg.lines("cycles-token", "position", "cycles",
                    List.of(new Svg.Line("measured", x, arr(measured)), new Svg.Line("model (Schedule)", x, arr(model)),
                            new Svg.Line("ideal", x, arr(ideal))), true));
        }
    }

    private static void memory(StringBuilder b, JsonNode compile, JsonNode verify) {
        b.append("<h2>Memory traffic and port utilisation</h2>\n");
        if (compile != null) {
            JsonNode bits = compile.path("on_chip_memory_bits");
            List<String> cats = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : bits.properties()) {
                cats.add(e.getKey());
                v.add(e.getValue().asDouble() / 8e3);
            }
            figure(b, "On-chip memory of the design (kB, as the manifest counts it)", Svg.bars("memory-on-chip", "kB", cats,
                    List.of(new Svg.Bars("on chip", arr(v))), false));
            JsonNode p = compile.path("performance");
            Map<String, String> rows = new LinkedHashMap<>();
            rows.put("weight bytes per token (model)", String.format("%,d", p.path("weight_bytes_per_token").asLong()));
            rows.put("fetched weight bytes per token, rows padded to beats (model)",
                    String.format("%,d", p.path("fetched_weight_bytes_per_token").asLong()));
            rows.put("KV cache bytes per token (model)", String.format("%,d", p.path("kv_bytes_per_token").asLong()));
            rows.put("DRAM bytes per token (model)", String.format("%,d", p.path("dram_bytes_per_token").asLong()));
            table(b, rows);
        }
        boolean dram = verify != null && verify.path("settings").path("weights").asText().equals("dram");
        if (verify == null) {
            missing(b, "fornax verify DIR --prompt TEXT");
        } else if (!dram) {
            b.append("<p class=\"note\">Weights in on-chip ROM: the design reads no weights over AXI.</p>\n");
        } else {
            double beatBytes = verify.path("settings").path("axi_data_width").asDouble() / 8;
            // the harness counts the beats of all read ports together; utilisation is per port
            int ports = Math.max(1, verify.path("settings").path("axi_read_ports").asInt(1));
            double model = compile == null ? Double.NaN : compile.path("performance").path("fetched_weight_bytes_per_token").asDouble();
            List<Double> pos = new ArrayList<>();
            List<Double> bytes = new ArrayList<>();
            List<Double> modelBytes = new ArrayList<>();
            List<Double> util = new ArrayList<>();
            List<Double> whole = new ArrayList<>();
            for (JsonNode q : verify.path("positions")) {
                pos.add(q.path("position").asDouble());
                bytes.add(q.path("axi_beats").asDouble() * beatBytes / 1e3);
                modelBytes.add(model / 1e3);
                long mc = q.path("matrix_cycles").asLong();
                util.add(mc == 0 ? Double.NaN : q.path("matrix_beats").asDouble() / mc / ports);
                whole.add(q.path("axi_beats").asDouble() / Math.max(1, q.path("cycles").asDouble()) / ports);
            }
            double[] x = arr(pos);
            figure(b, "AXI read traffic per position (kB): measured beats × " + Svg.num(beatBytes) + " bytes, next to the"
                    + " model's fetched weight bytes per token", Svg.lines("axi-bytes", "position", "kB",
                    List.of(new Svg.Line("measured", x, arr(bytes)), new Svg.Line("model", x, arr(modelBytes))), true));
            figure(b, "AXI read port utilisation per position (" + settings(verify) + ", " + ports + " read port"
                    + (ports == 1 ? "" : "s") + "): beats delivered ÷ (cycles × ports), in matrix phases and over the"
                    + " whole position", Svg.lines("axi-util", "position", "utilisation",
                    List.of(new Svg.Line("matrix phases", x, arr(util)), new Svg.Line("whole position", x, arr(whole))), true));
        }
    }

    private static void boards(StringBuilder b, JsonNode compile, JsonNode verify) {
        b.append("<h2>Performance model per board</h2>\n");
        if (compile == null && verify == null) {
            missing(b, "fornax compile MODEL -o DIR");
            return;
        }
        JsonNode source = compile != null ? compile.path("performance") : verify.path("performance");
        List<String> cats = new ArrayList<>();
        for (JsonNode bd : source.path("boards")) {
            cats.add(bd.path("name").asText());
        }
        List<Svg.Bars> series = new ArrayList<>();
        if (compile != null) {
            series.add(new Svg.Bars("model: " + Svg.num(compile.path("performance").path("cycles_per_token").asDouble())
                    + " predicted cycles/token", tokensPerSec(compile.path("performance"), cats)));
        }
        if (verify != null && verify.has("performance")) {
            series.add(new Svg.Bars("model with the simulated " + Svg.num(verify.path("performance").path("cycles_per_token")
                    .asDouble()) + " cycles/token", tokensPerSec(verify.path("performance"), cats)));
        }
        b.append("<p class=\"note\">").append(Svg.esc(source.path("assumptions").asText()))
                .append(". Tokens/s = min(clock ÷ cycles per token, bandwidth ÷ DRAM bytes per token).</p>\n");
        figure(b, "Decode tokens/s on each board preset (log scale)", Svg.bars("boards", "tokens/s", cats, series, true));
        boolean simulated = compile != null && verify != null && verify.has("performance");
        double[] sim = simulated ? tokensPerSec(verify.path("performance"), cats) : null;
        StringBuilder t = new StringBuilder("<table><tr><th>board</th><th>clock (MHz, assumed)</th><th>tokens/s (model)</th>"
                + (simulated ? "<th>tokens/s (model with simulated cycles)</th>" : "")
                + "<th>limited by</th><th>fits DRAM</th></tr>\n");
        int i = 0;
        for (JsonNode bd : source.path("boards")) {
            t.append("<tr><td>").append(Svg.esc(bd.path("name").asText())).append("</td><td>")
                    .append(Svg.num(bd.path("clock_hz").asDouble() / 1e6)).append("</td><td>")
                    .append(Svg.num(bd.path("tokens_per_s").asDouble())).append("</td><td>")
                    .append(simulated ? Svg.num(sim[i++]) + "</td><td>" : "")
                    .append(Svg.esc(bd.path("limited_by").asText())).append("</td><td>")
                    .append(bd.path("fits_dram").isNull() ? "—" : bd.path("fits_dram").asBoolean() ? "yes" : "no")
                    .append("</td></tr>\n");
        }
        b.append(t).append("</table>\n");
    }

    private static void synthesis(StringBuilder b, JsonNode synth) {
        b.append("<h2>Resources and timing estimate</h2>\n");
        if (synth == null) {
            missing(b, "fornax synth DIR");
            return;
        }
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("family", synth.path("family").asText());
        rows.put("estimated period", synth.path("estimated_period_ns").isNumber()
                ? Svg.num(synth.path("estimated_period_ns").asDouble()) + " ns (" + Svg.num(synth.path("estimated_fmax_mhz").asDouble())
                + " MHz)" : "—");
        rows.put("logic levels (max)", synth.path("logic_levels_max").asText("—"));
        rows.put("latches", synth.path("latches").asText("—"));
        if (synth.hasNonNull("note")) {
            rows.put("note", synth.path("note").asText());
        }
        table(b, rows);
        JsonNode res = synth.has("resources") ? synth.path("resources") : synth.path("cells");
        List<String> cats = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : res.properties()) {
            if (e.getValue().isNumber()) {
                cats.add(e.getKey());
                v.add(e.getValue().asDouble());
            }
        }
        if (!cats.isEmpty()) {
            figure(b, "Resources after synthesis (fornax synth, Yosys)", Svg.bars("synth-resources", "count", cats,
                    List.of(new Svg.Bars("cells", arr(v))), true));
        }
        List<String> lc = new ArrayList<>();
        List<Double> lv = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : synth.path("logic_level_histogram").properties()) {
            lc.add(e.getKey());
            lv.add(e.getValue().asDouble());
        }
        if (!lc.isEmpty()) {
            figure(b, "Logic levels between registers (timed endpoints per depth)", Svg.bars("synth-levels", "endpoints", lc,
                    List.of(new Svg.Bars("endpoints", arr(lv))), true));
        }
        if (synth.path("worst_paths").size() > 0) {
            StringBuilder t = new StringBuilder("<table><tr><th>start</th><th>end</th><th>delay (ns)</th><th>levels</th></tr>\n");
            for (JsonNode p : synth.path("worst_paths")) {
                t.append("<tr><td>").append(Svg.esc(p.path("start").asText())).append("</td><td>")
                        .append(Svg.esc(p.path("end").asText())).append("</td><td>").append(Svg.esc(p.path("delay_ns").asText()))
                        .append("</td><td>").append(Svg.esc(p.path("levels").asText())).append("</td></tr>\n");
            }
            b.append("<h3>Worst paths</h3>\n").append(t).append("</table>\n");
        }
    }

    private static void text(StringBuilder b, JsonNode verify, JsonNode eval) {
        b.append("<h2>Generated text</h2>\n");
        if (verify != null && verify.hasNonNull("text")) {
            b.append("<p class=\"note\">The simulated hardware's greedy generation (fornax verify: prompt, then ")
                    .append(verify.path("tokens").size()).append(" new tokens, stop: ")
                    .append(Svg.esc(verify.path("stop_reason").asText())).append(")</p>\n<pre id=\"text-verify\">")
                    .append(Svg.esc(verify.path("text").asText())).append("</pre>\n");
        } else if (verify != null) {
            b.append("<pre id=\"text-verify\">").append(Svg.esc(verify.path("tokens").toString())).append("</pre>\n");
        } else {
            missing(b, "fornax verify DIR --prompt TEXT");
        }
        if (eval != null && eval.hasNonNull("text")) {
            b.append("<p class=\"note\">The sequence fornax eval compared on</p>\n<pre id=\"text-eval\">")
                    .append(Svg.esc(eval.path("text").asText())).append("</pre>\n");
        }
    }

    private static String settings(JsonNode verify) {
        JsonNode s = verify.path("settings");
        return s.path("simulator").asText() + ", stall probability " + Svg.num(s.path("stall_probability").asDouble())
                + ", " + memory(s);
    }

    /** The memory model a simulated figure was taken with: read latency (per port), blackouts. */
    private static String memory(JsonNode s) {
        JsonNode lat = s.path("axi_read_latency_cycles");
        List<String> l = new ArrayList<>();
        if (lat.isArray()) {
            lat.forEach(v -> l.add(v.asText()));
        } else {
            l.add(lat.asText());
        }
        String text = "AXI read latency " + String.join("/", l) + " cycles";
        if (s.path("axi_blackout_every").asLong() > 0) {
            text += ", a " + s.path("axi_blackout_cycles").asLong() + "-cycle blackout every "
                    + s.path("axi_blackout_every").asLong() + " cycles";
        }
        return text;
    }

    private static double[] tokensPerSec(JsonNode perf, List<String> names) {
        double[] v = new double[names.size()];
        java.util.Arrays.fill(v, Double.NaN);
        for (JsonNode bd : perf.path("boards")) {
            int i = names.indexOf(bd.path("name").asText());
            if (i >= 0) {
                v[i] = bd.path("tokens_per_s").asDouble();
            }
        }
        return v;
    }

    private static void figure(StringBuilder b, String caption, String svg) {
        b.append("<figure>\n").append(svg).append("<figcaption>").append(Svg.esc(caption)).append("</figcaption>\n</figure>\n");
    }

    private static void missing(StringBuilder b, String command) {
        b.append("<p class=\"missing\">Not in this report yet: run <code>").append(Svg.esc(command)).append("</code>.</p>\n");
    }

    private static void table(StringBuilder b, Map<String, String> rows) {
        b.append("<table>\n");
        rows.forEach((k, v) -> b.append("<tr><th>").append(Svg.esc(k)).append("</th><td>").append(Svg.esc(v))
                .append("</td></tr>\n"));
        b.append("</table>\n");
    }

    private static double[] arr(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    private static final String CSS = """
            body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 960px; color: #222; }
            h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #ddd; padding: 3px 8px;
            text-align: left; vertical-align: top; } th { background: #f4f4f4; font-weight: 600; }
            figure { margin: 12px 0 20px; } figcaption { font-size: 13px; color: #444; }
            svg.plot { background: #fff; border: 1px solid #e4e4e4; }
            svg .frame { stroke: #333; } svg .grid { stroke: #eee; } svg text { font: 10px system-ui, sans-serif; fill: #333; }
            svg .axis { font-size: 11px; } svg .legend { font-size: 11px; }
            pre { white-space: pre-wrap; background: #f8f8f8; padding: 8px; border: 1px solid #e4e4e4; }
            .note { color: #555; font-size: 13px; } .missing { color: #888; font-style: italic; }
            """;

    /** Counts the points each plot drew (the test reads them back from the DOM) and marks the page as drawn. */
    private static final String SCRIPT = """
            (function () {
              var plots = document.querySelectorAll('svg.plot'), total = 0;
              for (var i = 0; i < plots.length; i++) {
                var n = plots[i].querySelectorAll('.pt').length;
                plots[i].setAttribute('data-points', String(n));
                total += n;
              }
              document.getElementById('drawn').textContent = plots.length + ' plots, ' + total + ' data points.';
              document.documentElement.setAttribute('data-report', 'drawn');
            })();
            """;
}
