package dev.fornax.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fornax.FornaxException;
import dev.fornax.ir.ModelSpec;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.report.VerifyReport;
import dev.fornax.sim.DesignManifest;
import dev.fornax.sim.IdealCycles;
import dev.fornax.sim.Int8Reference;
import dev.fornax.sim.KernelVerification;
import dev.fornax.sim.SimRequest;
import dev.fornax.sim.Simulator;
import dev.fornax.sim.Verification;
import dev.fornax.sim.Verifier;
import dev.fornax.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fornax verify DIR (--prompt TEXT | --tokens …) [-n N] [--ignore-eos] [--sim verilator|iverilog]
 * [--stall P] [--seed S] [--trace] [--wave FILE] [--json] [--model MODEL]}: simulates a compiled design on the
 * prompt and then its own predictions, and compares every logit at every position with the
 * integer golden model rebuilt from the source model named in DIR/manifest.json. Exit 0 when
 * everything matched, 1 at the first mismatch (which is named).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Simulate a compiled design and compare every logit with the integer golden model. The run's"
                + " figures (cycles, AXI traffic, the text) are added to DIR/report.html.")
public final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "a design directory written by fornax compile")
    Path dir;

    /** The prompt, shared with generate --engine rtl. */
    static final class Input {
        @Option(names = "--prompt", paramLabel = "TEXT", required = true,
                description = "text, encoded with the model's tokenizer (BOS added when the tokenizer does)")
        String prompt;

        @Option(names = "--tokens", paramLabel = "IDS", required = true,
                description = "comma-separated token ids, used exactly as given")
        String tokens;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "-n", paramLabel = "N", defaultValue = "64", description = "the most new tokens (default: ${DEFAULT-VALUE})")
    int maxNew;

    @Option(names = "--ignore-eos", description = "keep generating after an end-of-sequence token")
    boolean ignoreEos;

    @Option(names = "--sim", paramLabel = "NAME", defaultValue = "verilator",
            description = "simulator: verilator or iverilog (default: ${DEFAULT-VALUE})")
    String sim;

    @Option(names = "--stall", paramLabel = "P", defaultValue = "0",
            description = "probability that the testbench drops each valid/ready it drives, per cycle (default: 0)")
    double stall;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the stall pattern (default: 1)")
    long seed;

    @Option(names = "--axi-latency", paramLabel = "CYCLES", defaultValue = "150",
            description = "dram designs: the memory model's read latency, AR accepted to first data beat; one value, or one per"
                    + " port separated by commas (default: ${DEFAULT-VALUE})")
    String axiLatency;

    @Option(names = "--axi-blackout", paramLabel = "EVERY,CYCLES",
            description = "dram designs: refresh-like gaps, CYCLES cycles without read data every EVERY cycles (default: none)")
    String axiBlackout;

    @Option(names = "--axi-rate", paramLabel = "NUM/DEN",
            description = "dram designs: each port delivers at most NUM read beats every DEN cycles (the memory channel's"
                    + " bandwidth; default 1/1)")
    String axiRate;

    @Option(names = "--inject-rresp", paramLabel = "N",
            description = "dram designs: the Nth read burst (1-based, over all ports) answers SLVERR; the design must raise"
                    + " axi_error and stop (verify then fails naming it)")
    long injectRresp;

    @Option(names = "--trace", description = "also compare the per-op vectors of a FORNAX_TRACE build; names the first differing layer and op")
    boolean trace;

    @Option(names = "--wave", paramLabel = "FILE", description = "write a VCD waveform (GTKWave) of the simulation")
    Path wave;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--via", paramLabel = "core|kernel", defaultValue = "core",
            description = "core: drive fornax_top's streams; kernel: the whole kernel (fornax_kernel), driven by the"
                    + " C host driver through its register map, prompt and results in device memory (default: core)")
    String via;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "the source model, when manifest.json does not name it (model.source) or it moved")
    Path model;

    @Mixin
    HubOption hub;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer file instead of the one next to the model")
    Path tokenizer;

    @Override
    public Integer call() {
        Simulator simulator = Simulator.parse(sim);
        DesignManifest m = DesignManifest.read(dir);
        if (model != null || tokenizer != null) {
            m = new DesignManifest(m.dir(), m.design(), model != null ? hub.resolve(model).toAbsolutePath() : m.modelSource(),
                    tokenizer != null ? tokenizer : m.tokenizer(), m.json());
        }
        if (!via.equals("core") && !via.equals("kernel")) {
            throw new FornaxException("--via must be core or kernel, got '" + via + "'");
        }
        return run(m, input.prompt, input.tokens, maxNew, ignoreEos,
                new Verification.Options(simulator, stall, seed, wave, trace, memory(axiLatency, axiBlackout, axiRate, injectRresp)),
                json, false, 0, via.equals("kernel"), true);
    }

    /** The memory model from the command line's --axi-latency, --axi-blackout, --axi-rate and --inject-rresp. */
    static SimRequest.Memory memory(String latency, String blackout, String rate, long injectRresp) {
        List<Integer> lat = new ArrayList<>();
        for (String f : latency.split(",", -1)) {
            lat.add(cycles("--axi-latency", f.trim()));
        }
        long every = 0;
        int gap = 0;
        if (blackout != null) {
            String[] f = blackout.split(",", -1);
            if (f.length != 2) {
                throw new FornaxException("--axi-blackout takes EVERY,CYCLES (e.g. 2340,105), got '" + blackout + "'");
            }
            every = cycles("--axi-blackout", f[0].trim());
            gap = cycles("--axi-blackout", f[1].trim());
        }
        int num = 1;
        int den = 1;
        if (rate != null) {
            String[] f = rate.split("/", -1);
            if (f.length != 2) {
                throw new FornaxException("--axi-rate takes NUM/DEN beats per cycle (e.g. 3/5), got '" + rate + "'");
            }
            num = cycles("--axi-rate", f[0].trim());
            den = cycles("--axi-rate", f[1].trim());
        }
        return new SimRequest.Memory(lat, every, gap, num, den, injectRresp, 0);
    }

    private static int cycles(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new FornaxException(option + " takes non-negative cycle counts, got '" + v + "'");
        }
    }

    /**
     * Verifies and prints; {@code generateStyle} prints the text as generate does (prompt, then the
     * hardware's tokens as they appear) and the verdict on stderr; {@code report} adds the run to
     * DIR/report.html (report/verify.json).
     */
    static int run(DesignManifest m, String promptText, String tokenList, int maxNew, boolean ignoreEos,
            Verification.Options o, boolean json, boolean generateStyle, double assumedClockHz, boolean viaKernel,
            boolean report) {
        // every file as compiled (sha256) before the model is loaded or anything is built or simulated:
        // a deleted or truncated weights.mem is a corrupt design, not a logit mismatch
        m.requireIntact();
        // the simulator's tools first, so a missing one stops the command before any text is printed
        ToolSetup.ensure(o.simulator(), false);
        if (report && !Files.isWritable(m.dir())) {
            throw new FornaxException(m.dir() + " is not writable: verify adds its results to the design's report"
                    + " there (report/verify.json, report.html)");
        }
        PrintStream out = Utf8Out.stdout();
        try (LoadedModel model = ModelLoader.load(m.requireModelSource(), m.tokenizer());
                Int8Reference golden = new Int8Reference(model, m.design().context(), Int8Reference.formatOf(m.json()))) {
            ModelSpec spec = golden.spec();
            if (spec.vocab() != m.design().vocab()) {
                throw new FornaxException("the design has " + m.design().vocab() + " logits but its source model "
                        + m.modelSource() + " has a vocabulary of " + spec.vocab() + "; recompile the design");
            }
            Tokenizer tokenizer = model.tokenizer();
            List<Integer> prompt = promptTokens(promptText, tokenList, tokenizer, spec.vocab(), m.modelSource());
            Verification.checkRequest(m, prompt, maxNew);
            TextStream live = generateStyle && !json && tokenizer != null ? new TextStream(tokenizer) : null;
            if (live != null) {
                for (int id : prompt) {
                    out.print(live.next(id));
                }
                out.flush();
            }
            int lanes = m.design().lanes();
            JsonNode kernel = null;
            Verification.Report r;
            // the simulator's closing line waits for the streamed text's end: on a terminal it would
            // otherwise land in the middle of the story's last line
            List<String> afterText = new ArrayList<>();
            try (SimProgress shown = new SimProgress(prompt.size() + maxNew, !generateStyle)) {
                java.util.function.Consumer<String> lines = line -> {
                    if (live != null && line.startsWith("fornax-sim: done")) {
                        afterText.add(line);
                    } else if (!shown.accept(line)) {
                        progress(line, prompt.size(), live, out);
                    }
                };
                if (viaKernel) {
                    KernelVerification.Report kr = KernelVerification.run(m, prompt, maxNew, spec.eosIds(), ignoreEos, o,
                            golden, pos -> IdealCycles.at(spec, lanes, pos), lines);
                    r = kr.verification();
                    kernel = kr.kernel();
                } else {
                    r = Verification.run(m, prompt, maxNew, spec.eosIds(), ignoreEos, o, golden,
                            pos -> IdealCycles.at(spec, lanes, pos), lines);
                }
            }
            Verifier.SequenceResult s = r.sequence();
            String text = decode(tokenizer, spec, prompt, s.tokens());
            Path html = report ? VerifyReport.write(m, spec, r, o, text) : null;
            if (json) {
                out.println(json(r, text, m.design().weights().equals("dram"), kernel));
                if (html != null) {
                    System.err.println("report: " + html);
                }
            } else if (generateStyle) {
                if (live != null) {
                    out.print(live.finish());
                    out.println();
                    out.flush();
                    afterText.forEach(System.err::println);
                } else {
                    out.println(text == null ? ids(s.tokens()) : text);
                }
                System.err.println(summary(r));
                Verifier.SequenceResult seq = r.sequence();
                if (assumedClockHz > 0 && !seq.tokens().isEmpty()) {
                    System.err.printf(java.util.Locale.ROOT,
                            "at an assumed %.0f MHz clock (not a timing result): %.0f tokens/s%n",
                            assumedClockHz / 1e6, assumedClockHz / seq.cyclesPerToken());
                }
                if (html != null) {
                    System.err.println("report: " + html);
                }
            } else {
                if (text != null) {
                    out.println(text);
                }
                out.println(summary(r));
                if (kernel != null) {
                    out.println(kernelSummary(kernel));
                }
                if (html != null) {
                    out.println("report: " + html);
                }
            }
            out.flush();
            return r.verdict().match() && (r.trace() == null || r.trace().first() == null) ? 0 : 1;
        }
    }

    /** Streams the hardware's generated tokens as their prediction lines arrive; other progress to stderr. */
    private static void progress(String line, int promptLength, TextStream live, PrintStream out) {
        if (live != null) {
            // "fornax-sim: seq S pos P token T -> PRED, C cycles"
            String[] f = line.split(" ");
            if (f.length >= 9 && f[1].equals("seq") && f[3].equals("pos") && f[7].equals("->")) {
                int pos = Integer.parseInt(f[4]);
                if (pos >= promptLength - 1) {
                    out.print(live.next(Integer.parseInt(f[8].replace(",", ""))));
                    out.flush();
                }
                return;
            }
        }
        System.err.println(line);
    }

    static List<Integer> promptTokens(String text, String tokenList, Tokenizer tokenizer, int vocab, Path model) {
        List<Integer> ids = new ArrayList<>();
        if (tokenList != null) {
            for (int id : TokenIds.parse("--tokens", tokenList, vocab)) {
                ids.add(id);
            }
            return ids;
        }
        if (tokenizer == null) {
            throw new FornaxException("no tokenizer found for " + model + "; give the prompt as --tokens 1,2,3");
        }
        for (int id : tokenizer.encode(text, true)) {
            ids.add(id);
        }
        if (ids.isEmpty()) {
            throw new FornaxException("--prompt encodes to no tokens; give some text or use --tokens");
        }
        return ids;
    }

    private static String decode(Tokenizer tokenizer, ModelSpec spec, List<Integer> prompt, List<Integer> tokens) {
        if (tokenizer == null) {
            return null;
        }
        TextStream t = new TextStream(tokenizer);
        prompt.forEach(t::next);
        tokens.forEach(t::next);
        t.finish();
        return t.text();
    }

    private static String ids(List<Integer> tokens) {
        StringBuilder s = new StringBuilder();
        tokens.forEach(t -> s.append(t).append(' '));
        return s.toString().trim();
    }

    static String summary(Verification.Report r) {
        Verifier.Result v = r.verdict();
        Verifier.SequenceResult s = r.sequence();
        StringBuilder b = new StringBuilder();
        if (v.match()) {
            b.append("match: every logit of ").append(v.positionsCompared()).append(" positions equals the golden model");
        } else if (v.mismatch() != null) {
            b.append("MISMATCH: ").append(v.mismatch().describe());
        } else {
            b.append("FAILED: ").append(v.error());
        }
        if (r.trace() != null) {
            String t = r.trace().first() == null
                    ? "every reported op vector equals the golden model's (" + r.trace().compared().size() + " vectors)"
                    : "first differing op at " + r.trace().first().describe();
            b.append("\ntrace: ").append(t);
        }
        b.append(String.format("%n%s, %d tokens generated, stop: %s; %d cycles in %.2f s (%.2fM cycles/s)",
                r.simulator().cliName(), s.tokens().size(), s.stopReason(), v.sim().totalCycles(), v.sim().simSeconds(),
                v.sim().totalCycles() / 1e6 / Math.max(1e-9, v.sim().simSeconds())));
        if (!s.tokens().isEmpty()) {
            b.append(String.format("%ncycles/token %.1f, ideal (MACs/LANES) %.1f: %.3f× ideal", s.cyclesPerToken(),
                    s.idealCyclesPerToken(), s.cyclesPerToken() / s.idealCyclesPerToken()));
            if (!Double.isNaN(s.axiMatrixUtilisation())) {
                int p = r.axiPorts();
                b.append(String.format(java.util.Locale.ROOT, "%nAXI read %s: %.1f beats/token; utilisation %.3f during matrix phases"
                        + " (%.1f beats in %.1f cycles/token), %.3f over whole positions", p == 1 ? "port" : p + " ports",
                        s.axiBeatsPerToken(), s.axiMatrixUtilisation() / p, s.matrixBeatsPerToken(), s.matrixCyclesPerToken(),
                        s.axiUtilisation() / p));
            }
        }
        return b.toString();
    }

    /** One line: the kernel's registers after the run, as the driver read them. */
    static String kernelSummary(JsonNode k) {
        JsonNode run = k.path("runs").path(0);
        return String.format(java.util.Locale.ROOT,
                "kernel (via the C driver): %s, stop reason %d, ERROR 0x%x, %d tokens, %d positions, CYCLES %d,"
                        + " WEIGHT_BEATS %d, MATRIX_CYCLES %d, IO_BEATS %d; %d register reads, %d writes",
                run.path("rc_text").asText("?"), run.path("stop_reason").asInt(), run.path("error").asInt(),
                run.path("n_tokens").asInt(), run.path("positions").asInt(), run.path("cycles").asLong(),
                run.path("weight_beats").asLong(), run.path("matrix_cycles").asLong(), run.path("io_beats").asLong(),
                k.path("lite_reads").asLong(), k.path("lite_writes").asLong());
    }

    static String json(Verification.Report r, String text, boolean dram) {
        return json(r, text, dram, null);
    }

    static String json(Verification.Report r, String text, boolean dram, JsonNode kernel) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode n = om.createObjectNode();
        Verifier.Result v = r.verdict();
        Verifier.SequenceResult s = r.sequence();
        n.put("match", v.match() && (r.trace() == null || r.trace().first() == null));
        n.set("prompt_tokens", om.valueToTree(s.prompt()));
        n.set("tokens", om.valueToTree(s.tokens()));
        if (text == null) {
            n.putNull("text");
        } else {
            n.put("text", text);
        }
        n.put("stop_reason", s.stopReason());
        n.put("cycles", v.sim().totalCycles());
        putNumber(n, "cycles_per_token", s.cyclesPerToken());
        putNumber(n, "ideal_cycles_per_token", s.idealCyclesPerToken());
        if (dram) {
            putNumber(n, "axi_beats_per_token", s.axiBeatsPerToken());
            // the read port's busy fraction over whole positions, vector phases included
            putNumber(n, "axi_ports", r.axiPorts());
            putNumber(n, "axi_read_utilisation", s.axiUtilisation() / r.axiPorts());
            putNumber(n, "matrix_cycles_per_token", s.matrixCyclesPerToken());
            putNumber(n, "axi_matrix_beats_per_token", s.matrixBeatsPerToken());
            // the issue-5 figure: beats delivered ÷ beats the port could deliver, in matrix phases only
            putNumber(n, "axi_matrix_utilisation", s.axiMatrixUtilisation() / r.axiPorts());
        }
        n.put("simulator", r.simulator().cliName());
        n.put("sim_seconds", v.sim().simSeconds());
        n.put("build_seconds", v.sim().buildSeconds());
        n.put("positions_compared", v.positionsCompared());
        if (v.mismatch() != null) {
            ObjectNode mm = n.putObject("mismatch");
            mm.put("what", v.mismatch().what());
            mm.put("position", v.mismatch().position());
            mm.put("index", v.mismatch().index());
            mm.put("rtl", v.mismatch().rtl());
            mm.put("golden", v.mismatch().golden());
        }
        if (v.error() != null) {
            n.put("error", v.error());
        }
        n.put("via", kernel == null ? "core" : "kernel");
        if (kernel != null) {
            ObjectNode k = n.putObject("kernel");
            JsonNode run = kernel.path("runs").path(0);
            for (String f : new String[] {"rc", "rc_text", "stop_reason", "error", "error_info", "n_tokens", "positions",
                "cycles", "weight_beats", "matrix_cycles", "io_beats", "host_cycles"}) {
                if (run.has(f)) {
                    k.set(f, run.get(f));
                }
            }
            k.put("register_reads", kernel.path("lite_reads").asLong());
            k.put("register_writes", kernel.path("lite_writes").asLong());
            k.set("device", kernel.path("open"));
        }
        if (r.trace() != null) {
            ObjectNode t = n.putObject("trace");
            t.put("vectors_compared", r.trace().compared().size());
            if (r.trace().first() == null) {
                t.putNull("first_difference");
            } else {
                t.put("first_difference", r.trace().first().describe());
            }
        }
        return n.toString();
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }
}
