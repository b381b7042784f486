package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.io.Scratch;
import dev.fornax.engine.Engine;
import dev.fornax.engine.Engines;
import dev.fornax.engine.GenerationResult;
import dev.fornax.engine.Generator;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.ir.ModelWeights;
import dev.fornax.quant.Quantizer;
import dev.fornax.rtl.DesignGenerator;
import dev.fornax.rtl.RtlModel;
import dev.fornax.sim.DesignManifest;
import dev.fornax.sim.Simulator;
import dev.fornax.sim.Verification;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fornax demo}: the whole product on the bundled stories260K model (llama2.c checkpoint,
 * models/stories260K/): compiles it to Verilog (weights in on-chip ROM, 16 lanes), simulates the
 * design in Verilator from "Once upon a time", prints the story as the simulated hardware writes
 * it, checks every logit against the integer golden model, and reports cycles/token and tokens/s
 * at an assumed clock. Verilator and the C++ toolchain are installed first when missing
 * ({@link ToolSetup}). {@code --engine float} instead tells the story with the float engine (then
 * it is exactly what llama2.c's run.c prints for {@code -t 0 -n 64}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Compile the bundled stories260K to Verilog, run it in Verilator and tell a story.",
            "Installs Verilator, g++ and make with apt-get first when they are missing (scripts/install-tools)."})
public final class DemoCommand implements Callable<Integer> {
    static final String PROMPT = "Once upon a time";
    static final String MODEL = "models/stories260K/stories260K.bin";
    static final int LANES = 16;
    /** The clock the tokens/s figure assumes: a modest FPGA target, not a timing result. */
    static final double ASSUMED_CLOCK_HZ = 100e6;

    @Option(names = "-n", paramLabel = "N", defaultValue = "60",
            description = "the most new tokens (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--engine", paramLabel = "rtl|float", defaultValue = "rtl",
            description = "rtl: compile and simulate (default); float: the float reference engine only")
    String engine;

    @Override
    public Integer call() throws IOException {
        if (maxNewTokens < 0) {
            throw new FornaxException("-n must be >= 0, got " + maxNewTokens);
        }
        Path modelPath = bundledModel();
        switch (engine) {
            case "rtl":
                return onSimulatedHardware(modelPath);
            case "float":
                return withFloatEngine(modelPath);
            default:
                throw new FornaxException("--engine must be rtl or float, not '" + engine + "'");
        }
    }

    private int onSimulatedHardware(Path modelPath) throws IOException {
        // before any output: install Verilator and the C++ toolchain, or stop with one line
        ToolSetup.ensure(Simulator.VERILATOR, true);
        try (Scratch scratch = Scratch.workDirectory("fornax-demo")) { // removed on SIGINT/SIGTERM too
            Path work = scratch.path();
            Path design = work.resolve("stories260K-rom-L" + LANES);
            try (ModelWeights w = ModelLoader.loadWeights(modelPath)) {
                int context = w.spec().contextLength();
                DesignGenerator.generate(RtlModel.from(Quantizer.quantize(w, context)),
                        new DesignGenerator.Options("stories260K.bin", LANES, context, "rom"), design);
            }
            System.err.printf(Locale.ROOT, "[demo] compiled %s to Verilog: lanes %d, weights in on-chip ROM;"
                    + " simulating in Verilator (the first run builds the simulator, about a minute)%n",
                    modelPath.getFileName(), LANES);
            DesignManifest read = DesignManifest.read(design);
            DesignManifest m = new DesignManifest(read.dir(), read.design(), modelPath.toAbsolutePath(), null,
                    read.json());
            return VerifyCommand.run(m, PROMPT, null, maxNewTokens, false,
                    new Verification.Options(Simulator.VERILATOR, 0, 1, null, false), false, true,
                    ASSUMED_CLOCK_HZ, false, false);
        }
    }

    private int withFloatEngine(Path modelPath) {
        PrintStream out = Utf8Out.stdout();
        try (LoadedModel model = ModelLoader.load(modelPath, null);
                Engine e = Engines.create(Engines.DEFAULT, model)) {
            if (model.tokenizer() == null) {
                throw new FornaxException("the bundled tokenizer next to " + modelPath + " is missing");
            }
            TextStream text = new TextStream(model.tokenizer());
            int[] prompt = model.tokenizer().encode(PROMPT, true);
            for (int id : prompt) {
                out.print(text.next(id));
            }
            out.flush();
            long start = System.nanoTime();
            GenerationResult result = Generator.greedy(e, prompt, maxNewTokens, false, id -> {
                out.print(text.next(id));
                out.flush();
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            out.println(text.finish());
            out.flush();
            System.err.printf(Locale.ROOT, "[demo] %s, %s engine: %d new tokens in %.2f s (%.0f tokens/s), stop: %s%n",
                    modelPath.getFileName(), Engines.DEFAULT, result.tokens().length, seconds,
                    result.tokens().length / Math.max(seconds, 1e-9), result.stopReason().label());
        }
        return 0;
    }

    /** models/stories260K next to the build output (target/ of the repo), else under the working directory. */
    static Path bundledModel() {
        Path p = RepoFile.find(MODEL);
        if (p == null) {
            throw new FornaxException("the bundled model " + MODEL + " was not found next to the fornax build"
                    + " or in the working directory");
        }
        return p;
    }
}
