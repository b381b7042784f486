package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.engine.Engine;
import dev.fornax.engine.Engines;
import dev.fornax.engine.GenerationResult;
import dev.fornax.engine.Generator;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fornax demo}: tells a story with the bundled stories260K model (llama2.c checkpoint,
 * models/stories260K/) and the float engine, greedy from "Once upon a time". With the default
 * 60 new tokens it prints exactly what llama2.c's run.c prints for {@code -t 0 -n 64}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a story from the bundled stories260K model with the float engine.")
public final class DemoCommand implements Callable<Integer> {
    static final String PROMPT = "Once upon a time";
    static final String MODEL = "models/stories260K/stories260K.bin";

    @Option(names = "-n", paramLabel = "N", defaultValue = "60",
            description = "the most new tokens (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Override
    public Integer call() {
        Path modelPath = bundledModel();
        PrintStream out = Utf8Out.stdout();
        try (LoadedModel model = ModelLoader.load(modelPath, null);
                Engine engine = Engines.create(Engines.DEFAULT, model)) {
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
            GenerationResult result = Generator.greedy(engine, prompt, maxNewTokens, false, id -> {
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
        try {
            Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/fornax.jar or target/classes -> the repository root is two levels up
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            if (root != null && Files.isRegularFile(root.resolve(MODEL))) {
                return root.resolve(MODEL);
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        Path local = Path.of(MODEL);
        if (Files.isRegularFile(local)) {
            return local;
        }
        throw new FornaxException("the bundled model " + MODEL + " was not found next to the fornax build"
                + " or in the working directory");
    }
}
