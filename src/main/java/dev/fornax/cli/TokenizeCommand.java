package dev.fornax.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.FornaxException;
import dev.fornax.tokenizer.Tokenizer;
import dev.fornax.tokenizer.Tokenizers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fornax tokenize (MODEL | TOKENIZER) (--text TEXT | --decode 1,2,3) [--no-special] [--json]}. */
@Command(
        name = "tokenize",
        mixinStandardHelpOptions = true,
        description = "Encodes text to token ids, or decodes token ids to text, with a model's tokenizer.")
public final class TokenizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL|TOKENIZER", description = "An HF model directory, a Hugging"
            + " Face repo id (org/name[@revision]), a .gguf file (its tokenizer.ggml metadata), a llama2.c checkpoint"
            + " (its tok*.bin is used), a tokenizer.json or a llama2.c tokenizer .bin.")
    Path source;

    @Mixin
    HubOption hub;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "Text to encode.")
        String text;

        @Option(names = "--decode", paramLabel = "IDS", description = "Comma-separated token ids to decode.")
        String ids;
    }

    @Option(names = "--no-special", description = "Encode without the special tokens the tokenizer adds"
            + " (HF add_special_tokens=False; llama2.c: no BOS); decode without special tokens.")
    boolean noSpecial;

    @Option(names = "--json", description = "Print {\"ids\": [...], \"text\": \"...\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Tokenizer tokenizer = Tokenizers.forModelOrFile(hub.resolve(source));
        int[] ids;
        String text;
        if (input.text != null) {
            text = input.text;
            ids = tokenizer.encode(text, !noSpecial);
        } else {
            ids = parseIds(input.ids, tokenizer.vocabSize());
            text = tokenizer.decode(ids, noSpecial);
        }
        String output;
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ids", ids);
            result.put("text", text);
            output = new ObjectMapper().writeValueAsString(result);
        } else if (input.text != null) {
            output = Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
        } else {
            output = text;
        }
        // UTF-8 whatever the platform charset, so decoded text survives a POSIX locale
        System.out.writeBytes((output + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
        System.out.flush();
        return 0;
    }

    static int[] parseIds(String list, int vocabSize) {
        if (list.isBlank()) {
            return new int[0];
        }
        String[] parts = list.split(",", -1);
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            try {
                ids[i] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new FornaxException("--decode: \"" + part + "\" is not a token id (expected comma-separated"
                        + " integers such as 1,403,407)");
            }
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new FornaxException("--decode: token id " + ids[i] + " is outside the tokenizer's vocabulary"
                        + " (0.." + (vocabSize - 1) + ")");
            }
        }
        return ids;
    }
}
