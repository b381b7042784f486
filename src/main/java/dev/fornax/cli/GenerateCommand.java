package dev.fornax.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fornax.FornaxException;
import dev.fornax.engine.Engine;
import dev.fornax.engine.Engines;
import dev.fornax.engine.GenerationResult;
import dev.fornax.engine.Generator;
import dev.fornax.model.LoadedModel;
import dev.fornax.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fornax generate MODEL (--prompt TEXT | --tokens 1,2,3) [-n N] [--engine E] [--ignore-eos] [--json]}.
 *
 * <p>Plain output streams the text (prompt, then each new token as it is chosen) to stdout; without
 * a tokenizer it streams the new token ids instead. {@code --json} prints one object at the end:
 * prompt_tokens, tokens (new only, including a final EOS id), text (prompt + generation decoded
 * without BOS/EOS; null when the model has no tokenizer), stop_reason ("length" or "eos").
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Greedy generation: the argmax token, up to N new tokens, stopping at end-of-sequence.")
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    EngineOptions options;

    static final class Input {
        @Option(names = "--prompt", paramLabel = "TEXT", required = true,
                description = "text, encoded with the model's tokenizer (BOS added when the tokenizer does)")
        String prompt;

        @Option(names = "--tokens", paramLabel = "IDS", required = true,
                description = "comma-separated token ids, used exactly as given (no BOS added)")
        String tokens;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "-n", paramLabel = "N", defaultValue = "64",
            description = "the most new tokens to generate (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--ignore-eos", description = "keep generating after an end-of-sequence token")
    boolean ignoreEos;

    @Option(names = "--json", description = "print one JSON object instead of streaming text: prompt_tokens,"
            + " tokens (new ones, a final end-of-sequence id included), text (prompt + generation without"
            + " special tokens; null without a tokenizer), stop_reason (length or eos)")
    boolean json;

    @Option(names = "--timings", description = "print load time and tokens/s to stderr at the end")
    boolean timings;

    @Override
    public Integer call() throws Exception {
        if (maxNewTokens < 0) {
            throw new FornaxException("-n must be >= 0, got " + maxNewTokens);
        }
        if (RtlGenerate.ENGINE.equals(options.engine)) { // simulated hardware: MODEL is a compiled design
            return RtlGenerate.run(options.model, options.tokenizer, input.prompt, input.tokens, maxNewTokens, ignoreEos, json);
        }
        Engines.Factory factory = options.factory();
        PrintStream out = Utf8Out.stdout();
        long start = System.nanoTime();
        try (LoadedModel model = options.load(); Engine engine = factory.create(model)) {
            long loaded = System.nanoTime();
            Tokenizer tokenizer = model.tokenizer();
            int[] prompt = promptTokens(model, tokenizer, engine.spec().vocab());
            TextStream text = tokenizer == null ? null : new TextStream(tokenizer);
            IntConsumer onToken;
            if (json) {
                onToken = id -> {};
            } else if (text != null) {
                for (int id : prompt) {
                    out.print(text.next(id));
                }
                out.flush();
                onToken = id -> {
                    out.print(text.next(id));
                    out.flush();
                };
            } else {
                onToken = id -> {
                    out.print(id + " ");
                    out.flush();
                };
            }
            long[] firstToken = {0};
            IntConsumer emit = onToken;
            onToken = id -> {
                if (firstToken[0] == 0) {
                    firstToken[0] = System.nanoTime();
                }
                emit.accept(id);
            };
            GenerationResult result = Generator.greedy(engine, prompt, maxNewTokens, ignoreEos, onToken);
            long end = System.nanoTime();
            if (json) {
                out.println(toJson(result, tokenizer, engine));
            } else {
                if (text != null) {
                    out.print(text.finish());
                }
                out.println();
            }
            out.flush();
            if (timings) {
                printTimings(start, loaded, firstToken[0] == 0 ? end : firstToken[0], end, prompt.length,
                        result.tokens().length);
            }
        }
        return 0;
    }

    /**
     * Load = reading the model and building the engine; the prompt phase ends when the first new
     * token is chosen; decode speed counts the later tokens (each needs one more step).
     */
    private static void printTimings(long start, long loaded, long first, long end, int promptLength, int generated) {
        double load = (loaded - start) / 1e9;
        double prompt = (first - loaded) / 1e9;
        double decode = (end - first) / 1e9;
        int decodeSteps = Math.max(0, generated - 1);
        System.err.printf(java.util.Locale.ROOT,
                "timings: load %.3f s; prompt %d tokens %.3f s (%.2f tokens/s); decode %d tokens %.3f s (%.2f tokens/s)%n",
                load, promptLength, prompt, promptLength / Math.max(prompt, 1e-9), decodeSteps, decode,
                decodeSteps / Math.max(decode, 1e-9));
    }

    private int[] promptTokens(LoadedModel model, Tokenizer tokenizer, int vocab) {
        if (input.tokens != null) {
            return TokenIds.parse("--tokens", input.tokens, vocab);
        }
        if (tokenizer == null) {
            throw new FornaxException("no tokenizer found for " + model.source()
                    + "; give the prompt as --tokens 1,2,3 or name a tokenizer with --tokenizer FILE");
        }
        int[] ids = tokenizer.encode(input.prompt, true);
        if (ids.length == 0) {
            throw new FornaxException("--prompt encodes to no tokens; give some text or use --tokens");
        }
        return ids;
    }

    static String toJson(GenerationResult result, Tokenizer tokenizer, Engine engine) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode();
        node.set("prompt_tokens", mapper.valueToTree(result.promptTokens()));
        node.set("tokens", mapper.valueToTree(result.tokens()));
        if (tokenizer == null) {
            node.putNull("text");
        } else {
            TextStream text = new TextStream(tokenizer);
            for (int id : result.promptTokens()) {
                text.next(id);
            }
            for (int id : result.tokens()) {
                text.next(id);
            }
            text.finish();
            node.put("text", text.text());
        }
        node.put("stop_reason", result.stopReason().label());
        return node.toString();
    }
}
