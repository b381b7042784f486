package dev.fornax.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fornax.FornaxException;
import dev.fornax.engine.FloatEngine;
import dev.fornax.engine.GenerationResult;
import dev.fornax.engine.Generator;
import dev.fornax.engine.Parallel;
import dev.fornax.golden.Int8Engine;
import dev.fornax.golden.Int8VsFloat;
import dev.fornax.golden.QualityMeter;
import dev.fornax.golden.QualityReport;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.progress.Progress;
import dev.fornax.report.EvalReport;
import dev.fornax.quant.Quantizer;
import dev.fornax.quant.WeightFormat;
import dev.fornax.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fornax eval MODEL (--tokens IDS | --prompt TEXT | --text FILE) [--greedy N] [--json]}: the
 * int8 golden model against the float engine, teacher-forced on one token sequence.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "int8 golden model vs float engine, teacher-forced: top-1 agreement, logit cosine, |Δlogit|,"
                + " KL, perplexity, per-layer hidden-state cosine.")
public final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL",
            description = "HF model directory (config.json + safetensors), .gguf file, llama2.c checkpoint (.bin) or"
                    + " Hugging Face repo id (org/name[@revision], read from the HF cache)")
    Path model;

    @Mixin
    HubOption hub;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer file instead of the one next to MODEL")
    Path tokenizer;

    static final class Input {
        @Option(names = "--tokens", paramLabel = "IDS", required = true,
                description = "comma-separated token ids, used exactly as given (no BOS added)")
        String tokens;

        @Option(names = "--prompt", paramLabel = "TEXT", required = true,
                description = "text, encoded with the model's tokenizer (BOS added when the tokenizer does)")
        String prompt;

        @Option(names = "--text", paramLabel = "FILE", required = true,
                description = "a UTF-8 text file, encoded like --prompt")
        Path text;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--greedy", paramLabel = "N", defaultValue = "0",
            description = "first extend the sequence by the float engine's N greedy tokens (default: ${DEFAULT-VALUE})")
    int greedy;

    @Option(names = "--max-positions", paramLabel = "N",
            description = "compare only the first N positions (default: all; they must fit the context)")
    Integer maxPositions;

    @Option(names = "--json", description = "print one JSON object instead of the text report")
    boolean json;

    @Option(names = "--weight-bits", paramLabel = "B", defaultValue = "8",
            description = "8 (default): the int8 golden model; 4: also the int4 golden model (per-group scales,"
                    + " docs/NUMERICS.md), reported next to int8")
    int weightBits;

    @Option(names = "--group-size", paramLabel = "G",
            description = "with --weight-bits 4: weights per group scale, a power of two in 32..256 (default: 32)")
    Integer groupSize;

    @Option(names = "--report", paramLabel = "DIR",
            description = "also add the comparison to DIR/report.html (DIR/report/eval.json); DIR may be the design"
                    + " fornax compile wrote for this model, or any directory (created when missing)")
    Path report;

    @Override
    public Integer call() throws IOException {
        if (report != null) {
            requireWritableDir(report);
        }
        if (greedy < 0) {
            throw new FornaxException("--greedy must be >= 0, got " + greedy);
        }
        if (maxPositions != null && maxPositions < 1) {
            throw new FornaxException("--max-positions must be >= 1, got " + maxPositions);
        }
        WeightFormat format = WeightFormat.of(weightBits, groupSize);
        try (LoadedModel loaded = ModelLoader.load(hub.resolve(model), tokenizer);
                FloatEngine floatEngine = new FloatEngine(loaded.weights(), FloatEngine.WeightMode.AUTO,
                        Parallel.ofAvailableProcessors());
                Int8Engine int8Engine = new Int8Engine(Quantizer.quantize(loaded.weights()))) {
            int[] tokens = tokens(loaded, floatEngine.spec().vocab());
            if (greedy > 0) {
                GenerationResult g = Generator.greedy(floatEngine, tokens, greedy, true, id -> {});
                int[] ext = java.util.Arrays.copyOf(tokens, tokens.length + greedy);
                System.arraycopy(g.tokens(), 0, ext, tokens.length, greedy);
                tokens = ext;
            }
            if (maxPositions != null && tokens.length > maxPositions) {
                tokens = java.util.Arrays.copyOf(tokens, maxPositions);
            }
            QualityReport r;
            try (Progress progress = Progress.start("eval " + loaded.source().getFileName(), tokens.length,
                    Progress.Unit.of("positions"))) {
                r = Int8VsFloat.compare(floatEngine, int8Engine, List.of(tokens), () -> progress.advance(1));
            }
            QualityReport r4 = null;
            if (format.int4()) {
                try (Int8Engine int4Engine = new Int8Engine(Quantizer.quantize(loaded.weights(), format));
                        Progress progress = Progress.start("eval " + format.label() + " "
                                + loaded.source().getFileName(), tokens.length, Progress.Unit.of("positions"))) {
                    r4 = Int8VsFloat.compare(floatEngine, int4Engine, List.of(tokens), () -> progress.advance(1));
                }
            }
            PrintStream out = Utf8Out.stdout();
            if (json) {
                out.println(toJson(r, tokens, r4, format));
            } else {
                print(out, r, loaded);
                if (r4 != null) {
                    printSideBySide(out, r, r4, format);
                }
            }
            out.flush();
            if (report != null) {
                String text = loaded.tokenizer() == null ? null : loaded.tokenizer().decode(tokens, true);
                String name = loaded.source().getFileName() == null ? loaded.source().toString()
                        : loaded.source().getFileName().toString();
                System.err.println("report: " + EvalReport.write(report, floatEngine.spec(), name, r, tokens, text));
            }
        }
        return 0;
    }

    /** Before any work: DIR is a writable directory, or can be made in a writable one. */
    private static void requireWritableDir(Path dir) {
        Path abs = dir.toAbsolutePath();
        Path existing = Files.exists(abs) ? abs : abs.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (Files.exists(abs) && !Files.isDirectory(abs) || existing == null || !Files.isWritable(existing)) {
            throw new FornaxException("--report " + dir + ": not a writable directory");
        }
    }

    private int[] tokens(LoadedModel loaded, int vocab) throws IOException {
        if (input.tokens != null) {
            return TokenIds.parse("--tokens", input.tokens, vocab);
        }
        Tokenizer tok = loaded.tokenizer();
        String option = input.prompt != null ? "--prompt" : "--text";
        if (tok == null) {
            throw new FornaxException("no tokenizer found for " + loaded.source() + "; give " + option
                    + " as --tokens 1,2,3 or name a tokenizer with --tokenizer FILE");
        }
        String text;
        if (input.prompt != null) {
            text = input.prompt;
        } else {
            dev.fornax.io.InputFiles.requireRegular(input.text, "--text");
            try {
                text = Files.readString(input.text, StandardCharsets.UTF_8);
            } catch (java.nio.charset.MalformedInputException e) {
                throw new FornaxException("--text " + input.text + ": not valid UTF-8");
            }
        }
        int[] ids = tok.encode(text, true);
        if (ids.length == 0) {
            throw new FornaxException(option + " encodes to no tokens");
        }
        return ids;
    }

    private static void print(PrintStream out, QualityReport r, LoadedModel loaded) {
        Tokenizer tok = loaded.tokenizer();
        out.printf(Locale.ROOT, "int8 golden model vs float engine, teacher-forced on %d positions of %s%n",
                r.positions(), loaded.source().getFileName());
        out.printf(Locale.ROOT, "  top-1 agreement           %d/%d (%.2f%%)%n", r.top1Matches(), r.positions(),
                100 * r.top1Agreement());
        out.printf(Locale.ROOT, "  where float lead >= %.1f   %d/%d%s%n", QualityMeter.CONFIDENT_LEAD,
                r.confidentMatches(), r.confidentPositions(),
                r.confidentPositions() == 0 ? "" : String.format(Locale.ROOT, " (%.2f%%)", 100 * r.confidentAgreement()));
        out.printf(Locale.ROOT, "  logit cosine              mean %.6f  min %.6f%n", r.cosineMean(), r.cosineMin());
        out.printf(Locale.ROOT, "  |Δlogit|                  mean %.4f  max %.4f%n", r.meanAbsDelta(), r.maxAbsDelta());
        out.printf(Locale.ROOT, "  KL(float‖int8)            mean %.3e  max %.3e nats%n", r.klMean(), r.klMax());
        out.printf(Locale.ROOT, "  perplexity                float %.4f  int8 %.4f%s%n", r.perplexityFloat(),
                r.perplexityInt8(), r.positions() < 2 ? " (needs 2+ positions)" : "");
        out.println("  hidden-state cosine (residual stream after each layer)");
        out.println("    layer  mean      min");
        for (QualityReport.LayerCosine l : r.hiddenCosine()) {
            out.printf(Locale.ROOT, "    %-5d  %.6f  %.6f%n", l.layer(), l.mean(), l.min());
        }
        if (r.disagreements().isEmpty()) {
            out.println("  no top-1 disagreements");
        } else {
            out.println("  top-1 disagreements (position: float / int8, float lead)");
            for (QualityReport.Disagreement d : r.disagreements()) {
                out.printf(Locale.ROOT, "    %d: %s / %s, %.3f%n", d.position(), token(tok, d.floatTop1()),
                        token(tok, d.int8Top1()), d.floatLead());
            }
        }
    }

    private static String token(Tokenizer tok, int id) {
        if (tok == null) {
            return String.valueOf(id);
        }
        String s = tok.decode(new int[] {id}).replace("\n", "\\n");
        return id + " '" + s + "'";
    }

    /** The int4 golden model's figures next to int8's, both against the float engine. */
    private static void printSideBySide(PrintStream out, QualityReport r8, QualityReport r4, WeightFormat f) {
        String l4 = f.label();
        out.printf(Locale.ROOT, "%s and int8 golden models vs float engine, teacher-forced on %d positions%n", l4,
                r4.positions());
        out.printf(Locale.ROOT, "  %-26s %-22s %s%n", "", "int8", l4);
        out.printf(Locale.ROOT, "  %-26s %-22s %s%n", "top-1 agreement",
                String.format(Locale.ROOT, "%d/%d (%.2f%%)", r8.top1Matches(), r8.positions(), 100 * r8.top1Agreement()),
                String.format(Locale.ROOT, "%d/%d (%.2f%%)", r4.top1Matches(), r4.positions(), 100 * r4.top1Agreement()));
        out.printf(Locale.ROOT, "  %-26s %-22s %s%n", String.format(Locale.ROOT, "where float lead >= %.1f",
                QualityMeter.CONFIDENT_LEAD), r8.confidentMatches() + "/" + r8.confidentPositions(),
                r4.confidentMatches() + "/" + r4.confidentPositions());
        out.printf(Locale.ROOT, "  %-26s %-22s %s%n", "logit cosine mean / min",
                String.format(Locale.ROOT, "%.6f / %.6f", r8.cosineMean(), r8.cosineMin()),
                String.format(Locale.ROOT, "%.6f / %.6f", r4.cosineMean(), r4.cosineMin()));
        out.printf(Locale.ROOT, "  %-26s %-22s %s%n", "|Δlogit| mean / max",
                String.format(Locale.ROOT, "%.4f / %.4f", r8.meanAbsDelta(), r8.maxAbsDelta()),
                String.format(Locale.ROOT, "%.4f / %.4f", r4.meanAbsDelta(), r4.maxAbsDelta()));
        out.printf(Locale.ROOT, "  %-26s %-22s %s%n", "KL mean (nats)", String.format(Locale.ROOT, "%.3e", r8.klMean()),
                String.format(Locale.ROOT, "%.3e", r4.klMean()));
        out.printf(Locale.ROOT, "  %-26s %-22s %s%n", "perplexity (float " + String.format(Locale.ROOT, "%.4f",
                r8.perplexityFloat()) + ")", String.format(Locale.ROOT, "%.4f", r8.perplexityInt8()),
                String.format(Locale.ROOT, "%.4f", r4.perplexityInt8()));
        double min8 = r8.hiddenCosine().stream().mapToDouble(QualityReport.LayerCosine::min).min().orElse(Double.NaN);
        double min4 = r4.hiddenCosine().stream().mapToDouble(QualityReport.LayerCosine::min).min().orElse(Double.NaN);
        out.printf(Locale.ROOT, "  %-26s %-22s %s%n", "min hidden-state cosine", String.format(Locale.ROOT, "%.6f", min8),
                String.format(Locale.ROOT, "%.6f", min4));
    }

    static String toJson(QualityReport r, int[] tokens) {
        return toJson(r, tokens, null, WeightFormat.INT8);
    }

    /** With an int4 report: its figures under the key "int4" (the int8 ones stay at the top level). */
    static String toJson(QualityReport r, int[] tokens, QualityReport r4, WeightFormat f) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = mapper.createObjectNode();
        ArrayNode ids = o.putArray("tokens");
        for (int t : tokens) {
            ids.add(t);
        }
        figures(o, r);
        if (r4 != null) {
            ObjectNode n = o.putObject("int4");
            n.put("format", f.label());
            n.put("group_size", f.groupSize());
            figures(n, r4);
        }
        return o.toPrettyString();
    }

    private static void figures(ObjectNode o, QualityReport r) {
        o.put("positions", r.positions());
        o.put("top1_matches", r.top1Matches());
        number(o, "top1_agreement", r.top1Agreement());
        o.put("confident_lead", QualityMeter.CONFIDENT_LEAD);
        o.put("confident_positions", r.confidentPositions());
        o.put("confident_matches", r.confidentMatches());
        number(o, "confident_agreement", r.confidentAgreement());
        number(o, "cosine_mean", r.cosineMean());
        number(o, "cosine_min", r.cosineMin());
        number(o, "mean_abs_delta", r.meanAbsDelta());
        number(o, "max_abs_delta", r.maxAbsDelta());
        number(o, "kl_mean", r.klMean());
        number(o, "kl_max", r.klMax());
        number(o, "perplexity_float", r.perplexityFloat());
        number(o, "perplexity_int8", r.perplexityInt8());
        ArrayNode layers = o.putArray("hidden_cosine");
        for (QualityReport.LayerCosine l : r.hiddenCosine()) {
            ObjectNode n = layers.addObject();
            n.put("layer", l.layer());
            number(n, "mean", l.mean());
            number(n, "min", l.min());
        }
        ArrayNode dis = o.putArray("disagreements");
        for (QualityReport.Disagreement d : r.disagreements()) {
            ObjectNode n = dis.addObject();
            n.put("position", d.position());
            n.put("float_top1", d.floatTop1());
            n.put("int8_top1", d.int8Top1());
            number(n, "float_lead", d.floatLead());
        }
    }

    /** NaN (e.g. no confident positions) becomes null: JSON has no NaN. */
    private static void number(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
