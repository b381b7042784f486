package dev.fornax.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The command line: a command, then options and values picked by the fuzzer from every option the
 * command declares, hostile and ordinary values, and paths inside a sandbox directory (a model, a
 * tokenizer, a FIFO, a symbolic link, a missing path). Property: exit 0, 1 or 2 (never 70, never
 * an out-of-memory 3); a failure ends with exactly one "fornax: " line on stderr; no stack trace.
 *
 * <p>Values are small where a command would otherwise do real work for minutes (tiny's dimensions);
 * what simulates is left out (verify, demo, generate --engine rtl: a Verilator build takes a minute).
 * Paths stay in the sandbox, so nothing else is written.
 */
class CliOptionsFuzzTest {
    private static final String[] COMMANDS = {"inspect", "tokenize", "generate", "logits", "eval", "tiny", "compile",
        "boards", "--help", "--version", "nosuchcommand"};
    private static final String[] VALUES = {"0", "1", "2", "3", "-1", "4", "16", "64", "2048", "2147483647",
        "-2147483648", "99999999999999999999", "1.5", "NaN", "abc", "", " ", "1,2,3", "1,,2", "1, 2", "403,407",
        "llama", "qwen2", "gemma", "phi3", "mistral", "rom", "dram", "bf16", "f32", "f16", "float", "int8", "cuda",
        "verilator", "iverilog", "Once upon a time", "\u00e9\u4e16\ud83d\ude00", "\u0000", "--", "-", "x".repeat(300),
        "qwen2-0.5b", "llama-3.2-1b", "kv260", "u280"};
    /** Options whose values make a command write or compute a lot: only small ones. */
    private static final List<String> SMALL_ONLY = List.of("--hidden", "--layers", "--heads", "--kv-heads",
        "--head-dim", "--intermediate", "--vocab", "--context", "--shards", "--preset", "-n", "--greedy", "--lanes");
    private static final String[] SMALL = {"0", "1", "2", "3", "4", "8", "16", "-1", "abc", ""};

    private static Path sandbox;
    private static String[] paths;

    private static synchronized void setUp() {
        if (sandbox != null) {
            return;
        }
        try {
            sandbox = Files.createTempDirectory("fornax-cli-fuzz");
            Path model = sandbox.resolve("model");
            Files.createDirectories(model);
            FuzzSeeds.writeTinyConfig(model);
            Path tiny = Files.createTempDirectory("fornax-cli-fuzz-model");
            dev.fornax.model.TinyWriter.write(FuzzSeeds.tiny(), tiny.resolve("m"), 3, dev.fornax.model.Dtype.BF16, 1, false);
            Files.copy(tiny.resolve("m/model.safetensors"), model.resolve("model.safetensors"));
            Files.delete(tiny.resolve("m/model.safetensors"));
            Files.delete(tiny.resolve("m/config.json"));
            Files.delete(tiny.resolve("m"));
            Files.delete(tiny);
            Path stories = Path.of("models/stories260K/stories260K.bin").toAbsolutePath();
            Path fifo = sandbox.resolve("fifo");
            new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
            Files.createSymbolicLink(sandbox.resolve("link"), model.resolve("config.json"));
            Files.write(sandbox.resolve("tokenizer.json"), FuzzSeeds.sentencePieceTokenizerJson());
            Files.writeString(sandbox.resolve("text.txt"), "Once upon a time");
            paths = new String[] {stories.toString(), model.toString(), sandbox.resolve("tokenizer.json").toString(),
                stories.resolveSibling("tok512.bin").toString(), sandbox.resolve("out").toString(),
                sandbox.resolve("out/x").toString(), sandbox.resolve("missing").toString(), fifo.toString(),
                sandbox.resolve("link").toString(), sandbox.toString(), sandbox.resolve("text.txt").toString(),
                sandbox.resolve("design").toString()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.Map<String, List<String>> OPTIONS = new java.util.HashMap<>();

    private static synchronized List<String> optionNames(String command) {
        return OPTIONS.computeIfAbsent(command, CliOptionsFuzzTest::declaredOptions);
    }

    private static List<String> declaredOptions(String command) {
        CommandLine root = new CommandLine(new Main());
        CommandLine sub = root.getSubcommands().get(command);
        List<String> names = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : (sub == null ? root : sub).getCommandSpec().options()) {
            names.addAll(List.of(o.names()));
        }
        return names;
    }

    @FuzzTest(maxDuration = "8s")
    void commandLine(FuzzedDataProvider data) throws Exception {
        setUp();
        String command = data.pickValue(COMMANDS);
        List<String> options = optionNames(command);
        List<String> args = new ArrayList<>(List.of(command));
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            switch (data.consumeInt(0, 3)) {
                case 0 -> args.add(data.pickValue(paths));
                case 1 -> {
                    String option = options.isEmpty() ? "--x" : data.pickValue(options);
                    String value = value(option, data);
                    if (data.consumeBoolean()) {
                        args.add(option + "=" + value);
                    } else {
                        args.add(option);
                        args.add(value);
                    }
                }
                case 2 -> args.add(options.isEmpty() ? "--help" : data.pickValue(options));
                default -> args.add(data.consumeString(40));
            }
        }
        run(args.toArray(String[]::new));
    }

    private static String value(String option, FuzzedDataProvider data) {
        if (option.equals("-o") || option.equals("--out") || option.equals("--wave") || option.equals("--text")
                || option.equals("--tokenizer") || option.equals("--model")) {
            return data.pickValue(paths);
        }
        return SMALL_ONLY.contains(option) ? data.pickValue(SMALL) : data.pickValue(VALUES);
    }

    private static void run(String[] args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        String what = String.join(" ", args) + " -> exit " + exit + ", stderr: " + e;
        if (exit != 0 && exit != 1 && exit != 2) {
            throw new AssertionError(what);
        }
        // an argument that itself says "Exception" may be echoed in the message (as the user typed it)
        String own = e;
        for (String a : args) {
            for (String form : List.of(Main.printable(a), a)) {
                if (!form.isEmpty() && looksLikeATrace(form)) {
                    own = own.replace(form, "ARG");
                }
            }
        }
        if (looksLikeATrace(own)) {
            throw new AssertionError(what);
        }
        long lines = e.lines().filter(l -> l.startsWith("fornax: ")).count();
        if (exit != 0 && (lines != 1 || !e.strip().lines().reduce((a, b) -> b).orElse("").startsWith("fornax: "))) {
            throw new AssertionError("not one final fornax: line: " + what);
        }
    }

    private static boolean looksLikeATrace(String text) {
        return text.contains("Exception") || text.contains("\tat ") || text.contains("internal error");
    }
}
