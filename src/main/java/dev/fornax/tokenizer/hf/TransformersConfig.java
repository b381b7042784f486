package dev.fornax.tokenizer.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.io.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What transformers (v4.44) changes on top of {@code tokenizer.json}, read from {@code tokenizer_config.json}.
 *
 * <p>{@code LlamaTokenizerFast}, {@code CodeLlamaTokenizerFast} and {@code GemmaTokenizerFast} replace the
 * file's post-processor in their constructor ({@code update_post_processor}): BOS when
 * {@code add_bos_token} (default true), EOS when {@code add_eos_token} (default false). So a Phi-3 config
 * with {@code add_bos_token: false} adds no BOS although its {@code tokenizer.json} template has one. Every
 * other class (Qwen2, GPT-2, the generic {@code PreTrainedTokenizerFast} of Llama 3) keeps the file's
 * post-processor.
 */
final class TransformersConfig {
    /** Tokenizer class (without "Fast") → default {bos, eos}. */
    private static final Map<String, String[]> REBUILDS_POST_PROCESSOR = Map.of(
            "LlamaTokenizer", new String[] {"<s>", "</s>"},
            "CodeLlamaTokenizer", new String[] {"<s>", "</s>"},
            "GemmaTokenizer", new String[] {"<bos>", "<eos>"});

    private TransformersConfig() {}

    static PostProcessor postProcessor(Path file, JsonNode config, PostProcessor fromTokenizerJson,
            Function<String, Integer> idOf) {
        String tokenizerClass = config.path("tokenizer_class").asText("");
        if (tokenizerClass.endsWith("Fast")) {
            tokenizerClass = tokenizerClass.substring(0, tokenizerClass.length() - "Fast".length());
        }
        String[] defaults = REBUILDS_POST_PROCESSOR.get(tokenizerClass);
        if (defaults == null) {
            return fromTokenizerJson;
        }
        List<PostProcessor.Template.Item> items = new ArrayList<>();
        if (flag(file, config, "add_bos_token", true)) {
            items.add(special(file, config, "bos_token", defaults[0], idOf));
        }
        items.add(new PostProcessor.Template.Text());
        if (flag(file, config, "add_eos_token", false)) {
            items.add(special(file, config, "eos_token", defaults[1], idOf));
        }
        return new PostProcessor.Template(items);
    }

    private static boolean flag(Path file, JsonNode config, String field, boolean fallback) {
        JsonNode value = config.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new FornaxException(file + ": " + field + ": expected true or false, got " + JsonFiles.shown(value));
        }
        return value.asBoolean();
    }

    /** The token named by {@code field}: a string, or an AddedToken object with "content". */
    private static PostProcessor.Template.Item special(Path file, JsonNode config, String field, String fallback,
            Function<String, Integer> idOf) {
        JsonNode value = config.get(field);
        String token = value == null ? fallback
                : value.isTextual() ? value.asText()
                : value.isObject() && value.path("content").isTextual() ? value.get("content").asText()
                : null;
        String flag = field.equals("bos_token") ? "add_bos_token" : "add_eos_token";
        if (token == null) {
            throw new FornaxException(file + ": " + flag + " is true but " + field + " is " + JsonFiles.shown(value));
        }
        Integer id = idOf.apply(token);
        if (id == null) {
            throw new FornaxException(file + ": " + field + " \"" + token + "\" is not in the tokenizer's vocabulary");
        }
        return new PostProcessor.Template.Special(token, new int[] {id});
    }
}
