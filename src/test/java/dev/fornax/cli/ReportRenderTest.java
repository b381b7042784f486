package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.fornax.io.JsonFiles;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.ModelLoader;
import dev.fornax.quant.Quantizer;
import dev.fornax.report.CompileReport;
import dev.fornax.report.Report;
import dev.fornax.rtl.DesignGenerator;
import dev.fornax.rtl.RtlModel;
import dev.fornax.sim.DesignManifest;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DIR/report.html from compile, verify, eval and a synth.json, rendered by headless Chromium: the
 * page's script runs to its end without an error, and every plot drew as many points as its data
 * has (counted independently from the parts' JSON and the run's settings).
 */
class ReportRenderTest {
    static final Path MODEL = Path.of(DemoCommand.MODEL);

    @TempDir
    Path tmp;

    @Test
    void compileVerifyEvalAndSynthGiveOnePageThatChromiumDraws() throws Exception {
        Shared.requireTool("verilator");
        Shared.requireTool("chromium");
        Path dir = tmp.resolve("design");
        int layers;
        int prompt;
        try (dev.fornax.model.LoadedModel m = ModelLoader.load(MODEL, null)) {
            prompt = m.tokenizer().encode(DemoCommand.PROMPT, true).length;
        }
        try (ModelWeights w = ModelLoader.loadWeights(MODEL)) {
            // the demo's design (same RTL: the Verilator model the demo test built is reused), and
            // the compile part exactly as fornax compile writes it
            int ctx = w.spec().contextLength();
            DesignGenerator.Result r = DesignGenerator.generate(RtlModel.from(Quantizer.quantize(w, ctx)),
                    new DesignGenerator.Options("stories260K.bin", DemoCommand.LANES, ctx, "rom"), dir);
            CompileReport.write(dir, w, "stories260K", MODEL.toAbsolutePath().toString(), r.info(), r.manifest());
            layers = w.spec().layers();
        }
        CliRun v = CliRun.of("verify", dir.toString(), "--prompt", DemoCommand.PROMPT, "-n", "12", "--model", MODEL.toString());
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out()).endsWith("report: " + dir.resolve("report.html") + "\n");
        CliRun e = CliRun.of("eval", MODEL.toString(), "--prompt", DemoCommand.PROMPT, "--greedy", "20", "--report", dir.toString());
        assertThat(e.exit()).as(e.err()).isZero();
        Files.writeString(dir.resolve("synth.json"), SYNTH);
        Path html = Report.render(dir);
        String page = Files.readString(html);
        assertThat(Report.render(dir)).isEqualTo(html);
        assertThat(Files.readString(html)).isEqualTo(page); // deterministic

        // self-contained: nothing is fetched (the only URL is the SVG namespace)
        assertThat(page.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:", "https:", " src=", " href=",
                "url(", "@import");

        Chromium c = chromium(html, tmp.resolve("report.png"));
        assertThat(c.dom).contains("data-report=\"drawn\"");
        assertThat(c.log).doesNotContain("Uncaught").doesNotContainPattern("CONSOLE.*[Ee]rror");
        int matrices = 1 + 7 * layers; // stories260K ties its lm_head to the embedding
        int verified = prompt + 12 - 1; // the prompt, then 11 of the 12 generated tokens fed back
        int evaluated = prompt + 20;
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("quant-matrix", 2 * matrices);
        expected.put("quant-layer", layers);
        expected.put("hidden-cosine", 2 * layers);
        expected.put("eval-cosine", evaluated);
        expected.put("eval-top1", evaluated);
        expected.put("eval-kl", evaluated);
        expected.put("eval-delta", evaluated);
        expected.put("verify-equal", verified);
        expected.put("cycles-op", 15);
        expected.put("cycles-layer", layers + 3); // embed, the layers, final_norm, lm_head
        expected.put("cycles-token", 3 * verified);
        expected.put("memory-on-chip", 4);
        expected.put("boards", 2 * 9); // the model's and the simulated figure on each of the nine presets
        expected.put("synth-resources", 5); // the non-zero resource counts (a log axis has no bar for 0)
        expected.put("synth-levels", 4);
        assertThat(plots(c.dom)).isEqualTo(expected);

        // the numbers drawn are the runs' numbers: the embedding's INT8 error recomputed here from
        // the float weights (s = max|w|/127, q = round(w/s) per row), eval's top-1 count as eval
        // printed it, the hardware's text as verify printed it, the synth figures as written
        double[] embed = embeddingError();
        assertThat(value(c.dom, "embed: RMS error / RMS weight = ")).isCloseTo(100 * embed[0], withinPercentage(0.1));
        assertThat(value(c.dom, "embed: max |error| / max |w| = ")).isCloseTo(100 * embed[1], withinPercentage(0.1));
        Matcher top1 = Pattern.compile("top-1 agreement\\s+(\\d+)/(\\d+)").matcher(e.out());
        assertThat(top1.find()).as(e.out()).isTrue();
        assertThat(Integer.parseInt(top1.group(2))).isEqualTo(evaluated);
        assertThat(Pattern.compile("<title>top-1 agrees at \\d+: 1</title>").matcher(plot(c.dom, "eval-top1")).results()
                .count()).isEqualTo(Integer.parseInt(top1.group(1)));
        String hardwareText = v.out().substring(0, v.out().indexOf("\nmatch: "));
        assertThat(c.dom).contains("<pre id=\"text-verify\">" + esc(hardwareText) + "</pre>");
        assertThat(c.dom).contains("277 MHz", "<td>u_core/acc_reg[3]</td>");
        assertThat(plot(c.dom, "synth-resources")).contains("<title>dsp: cells = 16</title>");

        // a second compile of the same model gives the same part, so the same page
        try (ModelWeights w = ModelLoader.loadWeights(MODEL)) {
            DesignManifest m = DesignManifest.read(dir);
            CompileReport.write(dir, w, "stories260K", MODEL.toAbsolutePath().toString(), m.design(),
                    JsonFiles.VALUES.convertValue(m.json(), Map.class));
        }
        assertThat(Files.readString(html)).isEqualTo(page);

        byte[] png = Files.readAllBytes(tmp.resolve("report.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(png.length).isGreaterThan(50_000);
        String keep = System.getenv("FORNAX_REPORT_KEEP"); // a directory for the page and its screenshot
        if (keep != null) {
            Files.createDirectories(Path.of(keep));
            Files.copy(tmp.resolve("report.png"), Path.of(keep, "report.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(html, Path.of(keep, "report.html"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The embedding's relative RMS error and largest error relative to the largest weight, from its float rows. */
    static double[] embeddingError() throws IOException {
        try (ModelWeights w = ModelLoader.loadWeights(MODEL)) {
            dev.fornax.ir.Matrix m = w.embedding();
            float[] row = new float[m.cols()];
            double sw = 0;
            double se = 0;
            double me = 0;
            double mw = 0;
            for (int r = 0; r < m.rows(); r++) {
                m.readRow(r, row, 0);
                double max = 0;
                for (float x : row) {
                    max = Math.max(max, Math.abs(x));
                }
                double scale = max / 127;
                for (float x : row) {
                    double err = x - (scale == 0 ? 0 : scale * Math.round(x / scale));
                    sw += (double) x * x;
                    se += err * err;
                    me = Math.max(me, Math.abs(err));
                    mw = Math.max(mw, Math.abs(x));
                }
            }
            return new double[] {Math.sqrt(se / sw), me / mw};
        }
    }

    /** The number after {@code prefix} in a point's tooltip. */
    static double value(String dom, String prefix) {
        int i = dom.indexOf(prefix);
        assertThat(i).as(prefix).isNotNegative();
        return Double.parseDouble(dom.substring(i + prefix.length(), dom.indexOf('<', i)));
    }

    /** One plot's SVG in the DOM. */
    static String plot(String dom, String id) {
        Matcher m = Pattern.compile("<svg [^>]*id=\"" + id + "\".*?</svg>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as(id).isTrue();
        return m.group();
    }

    /** Text as Chromium serialises it inside an element. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;");
    }

    @Test
    void fornaxCompileWritesItsPart() throws IOException {
        Path dir = tmp.resolve("c");
        CliRun r = CliRun.of("compile", MODEL.toString(), "-o", dir.toString(), "--context", "32");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).endsWith("report: " + dir.resolve("report.html") + "\n");
        assertThat(Files.readString(dir.resolve("report/compile.json"))).contains("\"rel_rms_error\"", "\"ops\"");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("id=\"quant-matrix\"")
                .contains("Not in this report yet: run <code>fornax verify DIR --prompt TEXT</code>");
    }

    /** id → data-points of every plot in the DOM Chromium produced. */
    static Map<String, Integer> plots(String dom) {
        Map<String, Integer> m = new LinkedHashMap<>();
        Matcher svg = Pattern.compile("<svg [^>]*class=\"plot\"[^>]*>").matcher(dom);
        while (svg.find()) {
            String tag = svg.group();
            Matcher id = Pattern.compile("id=\"([^\"]+)\"").matcher(tag);
            Matcher n = Pattern.compile("data-points=\"(\\d+)\"").matcher(tag);
            assertThat(id.find()).as(tag).isTrue();
            assertThat(n.find()).as("plot " + tag + " was not counted: the script did not run").isTrue();
            m.put(id.group(1), Integer.parseInt(n.group(1)));
        }
        return m;
    }

    record Chromium(String dom, String log) {}

    /** Headless Chromium, a fresh profile, no network features: the DOM after load, and a PNG of the page. */
    static Chromium chromium(Path html, Path png) throws Exception {
        Path profile = Files.createTempDirectory("fornax-chromium");
        try {
            List<String> base = List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0");
            List<String> dump = new ArrayList<>(base);
            dump.addAll(List.of("--dump-dom", html.toUri().toString()));
            String[] d = run(dump);
            List<String> shot = new ArrayList<>(base);
            shot.addAll(List.of("--window-size=1000,7000", "--screenshot=" + png, html.toUri().toString()));
            String[] s = run(shot);
            return new Chromium(d[0], d[1] + s[1]);
        } finally {
            try (var files = Files.walk(profile)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String[] run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish: " + cmd);
            }
            return new String[] {Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)};
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The shape of fornax synth's DIR/synth.json (issue 9: SynthReport), with made-up counts. */
    static final String SYNTH = """
            {"family": "xilinx", "top": "fornax_top", "note": "test fixture",
             "cells": {"LUT4": 812, "FDRE": 640, "RAMB36E2": 6, "DSP48E2": 16},
             "resources": {"block_ram_36": 6, "block_ram_18": 0, "dsp": 16, "lut": 812, "ff": 640, "latches": 0,
                           "carry": 31},
             "logic_levels_max": 7, "logic_level_histogram": {"1": 120, "3": 300, "5": 80, "7": 4},
             "estimated_period_ns": 3.61, "estimated_fmax_mhz": 277.0,
             "worst_paths": [{"start": "u_core/acc_reg[3]", "end": "u_core/out_reg[0]", "delay_ns": 3.61, "levels": 7,
                              "steps": []}],
             "latches": 0}
            """;
}
