package dev.fornax.rtl.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fornax.FornaxException;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.HfConfig;
import dev.fornax.model.ModelLoader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints the board table for a model without compiling it — for bench scripts and the docs:
 * {@code java -cp target/fornax.jar dev.fornax.rtl.perf.PerformanceReport MODEL --lanes 64 --weights dram}.
 * Without {@code --cycles} the cycles per token are the ideal MACs/LANES, labelled "ideal".
 */
@Command(name = "PerformanceReport", mixinStandardHelpOptions = true,
        description = "Analytic tokens/s of a Fornax design on the assumed boards (docs/PERFORMANCE.md).")
public final class PerformanceReport implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "HF model directory (config.json suffices) or llama2.c checkpoint")
    Path model;

    @Option(names = "--lanes", defaultValue = "16", description = "INT8 MACs per cycle (default ${DEFAULT-VALUE})")
    int lanes;

    @Option(names = "--weights", required = true, paramLabel = "rom|dram", description = "where the weights live")
    String weights;

    @Option(names = "--kv-in-dram", description = "count KV cache traffic against DRAM (the generated core keeps it on chip)")
    boolean kvInDram;

    @Option(names = "--position", defaultValue = "0", description = "0-based token position (default ${DEFAULT-VALUE})")
    int position;

    @Option(names = "--context", description = "KV cache positions (default: the model's, at most 1024)")
    Integer context;

    @Option(names = "--axi-width", description = "AXI4 read data width in bits (default: min(8·lanes, 1024))")
    Integer axiWidth;

    @Option(names = "--axi-ports", defaultValue = "1", description = "AXI4 read ports of --axi-width bits each (default ${DEFAULT-VALUE})")
    int axiPorts;

    @Option(names = "--boards", split = ",", paramLabel = "ID", description = "boards to list (fornax boards; default the"
            + " compile table's: arty-a7-100t, kv260, u250, u280)")
    List<String> boards;

    @Option(names = "--roofline", description = "print the roofline table (Markdown): projected tok/s as a share of each"
            + " board's memory roofline")
    boolean roofline;

    @Option(names = "--cycles", description = "cycles for this token (default: the ideal MACs/LANES)")
    Double cycles;

    @Option(names = "--cycles-source", defaultValue = "predicted", description = "label for --cycles (default ${DEFAULT-VALUE})")
    String cyclesSource;

    @Option(names = "--markdown", description = "print the table as Markdown")
    boolean markdown;

    @Option(names = "--json", description = "print the manifest's JSON object instead of a table")
    boolean json;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new PerformanceReport());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            System.err.println("fornax: " + (ex instanceof FornaxException ? ex.getMessage() : ex.toString()));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ModelSpec spec = readSpec(model);
        int ctx = context != null ? context : Math.min(spec.contextLength(), 1024);
        int axi = axiWidth != null ? axiWidth
                : weights.equals("dram") || kvInDram ? Math.max(64, Math.min(8 * lanes / axiPorts, 1024)) : 0;
        PerformanceModel.Placement kv = kvInDram ? PerformanceModel.Placement.DRAM : PerformanceModel.Placement.ON_CHIP;
        double c = cycles != null ? cycles : Macs.idealCycles(spec, position, lanes);
        PerformanceModel m = new PerformanceModel(spec, lanes, PerformanceModel.Placement.ofWeightsOption(weights), kv,
                ctx, position, axi, axiPorts, c, cycles != null ? cyclesSource : "ideal");
        List<Board> list = boards == null ? Board.ASSUMED : boards.stream().map(Board::byId).toList();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(m.toJson(list)));
        } else if (roofline) {
            PerformanceTable.rooflineMarkdown(m, list).forEach(out::println);
        } else {
            (markdown ? PerformanceTable.markdown(m, list) : PerformanceTable.lines(m, list)).forEach(out::println);
        }
        return 0;
    }

    /** An HF directory needs only its config.json; a llama2.c checkpoint is opened for its header. */
    static ModelSpec readSpec(Path path) {
        if (Files.isDirectory(path)) {
            return HfConfig.read(path);
        }
        try (ModelWeights w = ModelLoader.loadWeights(path)) {
            return w.spec();
        }
    }
}
