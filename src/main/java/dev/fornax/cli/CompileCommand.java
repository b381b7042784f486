package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.ModelLoader;
import dev.fornax.progress.CountingWeights;
import dev.fornax.progress.Progress;
import dev.fornax.report.CompileReport;
import dev.fornax.rtl.AxiPlan;
import dev.fornax.rtl.DesignGenerator;
import dev.fornax.rtl.RtlModel;
import dev.fornax.quant.Quantizer;
import dev.fornax.quant.WeightFormat;
import dev.fornax.rtl.perf.Board;
import dev.fornax.rtl.perf.PerformanceModel;
import dev.fornax.rtl.perf.PerformanceTable;
import dev.fornax.vendor.BoardPlan;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fornax compile MODEL -o DIR [--lanes N] [--context N] [--weights rom|dram] [--axi-width BITS] [--board NAME]}. */
@Command(
        name = "compile",
        mixinStandardHelpOptions = true,
        description = "Compiles a model into synthesizable Verilog (DIR/rtl), weight and table memories (DIR/mem) and"
                + " DIR/manifest.json. The design equals the integer golden model bit for bit. Its figures (quantisation"
                + " error, cycle model, memory, boards) go to DIR/report.html.")
final class CompileCommand implements Callable<Integer> {
    /** Above this many weight bytes the default is --weights dram (on-chip ROM fits small FPGAs only). */
    static final long ROM_DEFAULT_LIMIT = 8L << 20;
    static final int CONTEXT_DEFAULT_CAP = 1024;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "HF model directory, .gguf file, llama2.c checkpoint or Hugging Face repo id (org/name[@revision])")
    Path model;

    @Mixin
    HubOption hub;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--lanes", paramLabel = "N",
            description = "INT8 MACs per cycle, a power of two 1..2048 (default 16; with --board: fitted to the board)")
    Integer lanesOption;

    @Option(names = "--board", paramLabel = "NAME",
            description = "write the vendor files for this board (fornax boards lists them) and fit lanes, AXI width and"
                    + " weight placement to it (each overridable)")
    String board;

    @Option(names = "--clock-mhz", paramLabel = "MHZ",
            description = "with --board: the kernel clock of the constraints (default: the board's)")
    Double clockMhz;

    @Option(names = "--context", paramLabel = "N",
            description = "KV cache positions (default: the model's context, at most " + CONTEXT_DEFAULT_CAP + ")")
    Integer context;

    @Option(names = "--weights", paramLabel = "rom|dram",
            description = "weights in on-chip ROM or fetched over AXI4 from DRAM (default: by size)")
    String weights;

    @Option(names = "--axi-width", paramLabel = "BITS",
            description = "AXI4 read data width per port for --weights dram, a power of two 64..1024 (default: "
                    + "LANES*8/PORTS within that range)")
    Integer axiWidth;

    @Option(names = "--axi-ports", paramLabel = "P",
            description = "AXI4 read ports for --weights dram, a power of two 1..32 that divides LANES; each carries an"
                    + " equal share of every matrix from its own region of the image (default 1)")
    Integer axiPorts;

    @Option(names = "--axi-burst", paramLabel = "BEATS",
            description = "longest AXI4 read burst for --weights dram (default: as long as the 4 KB rule allows, at most 256)")
    Integer axiBurst;

    @Option(names = "--mem-latency", paramLabel = "CYCLES",
            description = "DRAM read latency the read FIFOs are sized for, --weights dram (default "
                    + AxiPlan.DEFAULT_MEM_LATENCY + ")")
    Integer memLatency;

    @Option(names = "--weight-bits", paramLabel = "B", defaultValue = "8",
            description = "8 (default): INT8 weights, one scale per row; 4: INT4 weights, two per byte, one scale"
                    + " per group of --group-size weights (docs/NUMERICS.md)")
    int weightBits;

    @Option(names = "--group-size", paramLabel = "G",
            description = "with --weight-bits 4: weights per group scale, a power of two in 32..256 (default: 32)")
    Integer groupSize;

    @Override
    public Integer call() {
        WeightFormat format = WeightFormat.of(weightBits, groupSize);
        Path source = hub.resolve(model);
        try (ModelWeights w = ModelLoader.loadWeights(source)) {
            ModelSpec s = w.spec();
            RtlModel.requireSupported(s); // before any figure is printed or file written
            int ctx = context != null ? context : Math.min(s.contextLength(), CONTEXT_DEFAULT_CAP);
            if (ctx > s.contextLength() || ctx < 1) {
                throw new FornaxException("--context " + ctx + " is outside 1.." + s.contextLength()
                        + " (the model's context length)");
            }
            if (clockMhz != null && board == null) {
                throw new FornaxException("--clock-mhz applies to --board only");
            }
            BoardPlan plan = board == null ? null : BoardPlan.of(Board.byId(board), s, ctx, lanesOption, weights, axiWidth, clockMhz);
            int lanes = plan != null ? plan.lanes() : lanesOption != null ? lanesOption : 16;
            String mode = plan != null ? plan.weights() : weights;
            Integer axiWidth = plan != null && plan.axiWidth() != 0 ? Integer.valueOf(plan.axiWidth()) : this.axiWidth;
            if (plan != null) {
                System.out.printf("board %s (%s):%n", plan.board().name(), plan.board().part());
                plan.reasons().forEach(r -> System.out.println("  " + r));
            }
            if (mode == null) {
                long bytes = s.parameters();
                mode = bytes <= ROM_DEFAULT_LIMIT ? "rom" : "dram";
                System.out.printf("weights: %s (default for %,d parameters; on-chip ROM up to %,d)%n", mode, bytes,
                        ROM_DEFAULT_LIMIT);
            }
            if (!mode.equals("dram")) {
                String given = axiWidth != null ? "--axi-width" : axiPorts != null ? "--axi-ports"
                        : axiBurst != null ? "--axi-burst" : memLatency != null ? "--mem-latency" : null;
                if (given != null) {
                    throw new FornaxException(given + " applies to --weights dram only");
                }
            }
            DesignGenerator.Options o = new DesignGenerator.Options(name(model), lanes, ctx, mode,
                    axiWidth == null ? 0 : axiWidth, source.toAbsolutePath().normalize().toString(),
                    axiPorts == null ? 1 : axiPorts, axiBurst == null ? 0 : axiBurst,
                    memLatency == null ? AxiPlan.DEFAULT_MEM_LATENCY : memLatency);
            // dram: the quantiser writes straight into the DRAM image (no weight matrix is held) and
            // the free space is checked first; rom: checked here, before the in-memory quantiser runs
            DesignGenerator.Result r;
            try (Progress progress = Progress.start("compile " + o.modelName(), CountingWeights.rows(s), Progress.Unit.of("rows"))) {
                ModelWeights counted = new CountingWeights(w, progress);
                if (format.int4()) { // quantised in memory (the packed rows need the group multipliers)
                    DesignGenerator.requireSpace(out, s, o);
                    r = DesignGenerator.generate(RtlModel.from(Quantizer.quantize(counted, ctx, format)), o, out, plan);
                } else if (mode.equals("dram")) {
                    r = DesignGenerator.compileStreaming(counted, o, out, plan);
                } else {
                    DesignGenerator.requireSpace(out, s, o);
                    r = DesignGenerator.generate(RtlModel.from(Quantizer.quantize(counted, ctx)), o, out, plan);
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> perf = (Map<String, Object>) r.manifest().get("performance");
            @SuppressWarnings("unchecked")
            Map<String, Object> bits = (Map<String, Object>) r.manifest().get("on_chip_memory_bits");
            System.out.printf("compiled %s: lanes %d, context %d, weights %s -> %s%n", o.modelName(), lanes, ctx, mode,
                    out);
            System.out.printf("top %s, %d RTL files, %d memory files%n", r.info().top(), r.info().rtlFiles().size(),
                    r.info().memFiles().size());
            System.out.printf("cycles/token at position 0: predicted %.0f, ideal %.0f%n",
                    ((Number) perf.get("predicted_cycles_at_pos0")).doubleValue(),
                    ((Number) perf.get("ideal_cycles_at_pos0")).doubleValue());
            System.out.printf("on-chip memory bits: weights %,d, KV cache %,d, buffers %,d, tables %,d%n",
                    bits.get("weights"), bits.get("kv_cache"), bits.get("buffers"), bits.get("tables"));
            PerformanceTable.lines(PerformanceModel.predicted(s, lanes, mode, ctx, 0, r.info().axiDataWidth(), o.axiPorts(),
                    ((Number) perf.get("predicted_cycles_at_pos0")).doubleValue()).withGroupSize(format.groupSize()),
                    Board.ASSUMED)
                    .forEach(System.out::println);
            if (plan != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> vendor = (Map<String, Object>) r.manifest().get("vendor");
                @SuppressWarnings("unchecked")
                Map<String, Object> fit = (Map<String, Object>) vendor.get("fit");
                BoardPlan.fitLines(plan.board(), fit).forEach(System.out::println);
                @SuppressWarnings("unchecked")
                List<String> files = (List<String>) vendor.get("files");
                System.out.printf("vendor files (%d): %s%squartus/, fornax.core; docs/HARDWARE.md has the steps%n",
                        files.size(), plan.board().flow().amd() ? "vivado/, " : "",
                        plan.board().flow() == Board.Flow.ALVEO ? "vitis/, " : "");
            }
            System.out.println("report: " + CompileReport.write(out, w, o.modelName(), o.source(), r.info(), r.manifest()));
        }
        return 0;
    }

    /** The model's name: the file or directory name, or the name part of a hub repo id (no @revision). */
    private static String name(Path p) {
        if (!java.nio.file.Files.exists(p) && p.toString().contains("@")) {
            p = Path.of(p.toString().substring(0, p.toString().indexOf('@')));
        }
        Path f = p.toAbsolutePath().normalize().getFileName();
        String n = f == null ? p.toString() : f.toString();
        return n.endsWith(".bin") ? n.substring(0, n.length() - 4) : n;
    }
}
