package dev.fornax.tokenizer.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.io.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the small {@code tokenizer.json} sections (normalizer, pre_tokenizer, post_processor, decoder,
 * added_tokens) into components. Anything this implementation does not reproduce exactly is an error
 * naming the field, never a silent approximation.
 */
final class ComponentReader {
    private final Path file;

    ComponentReader(Path file) {
        this.file = file;
    }

    Normalizer normalizer(JsonNode node, String path) {
        if (isAbsent(node)) {
            return null;
        }
        String type = type(node, path);
        return switch (type) {
            case "NFC" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFC);
            case "NFD" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFD);
            case "NFKC" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFKC);
            case "NFKD" -> new Normalizer.Unicode(java.text.Normalizer.Form.NFKD);
            case "Prepend" -> new Normalizer.Prepend(text(node, "prepend", path));
            case "Replace" -> new Normalizer.Replace(pattern(node, path), text(node, "content", path));
            case "Sequence" -> {
                List<Normalizer> list = new ArrayList<>();
                JsonNode items = array(node, "normalizers", path);
                for (int i = 0; i < items.size(); i++) {
                    list.add(required(normalizer(items.get(i), path + ".normalizers[" + i + "]"), path));
                }
                yield new Normalizer.Sequence(list);
            }
            default -> throw unsupported(path, "normalizer", type, "NFC, NFD, NFKC, NFKD, Prepend, Replace, Sequence");
        };
    }

    PreTokenizer preTokenizer(JsonNode node, String path) {
        if (isAbsent(node)) {
            return null;
        }
        String type = type(node, path);
        return switch (type) {
            case "Split" -> new PreTokenizer.Split(pattern(node, path), behavior(node, path),
                    bool(node, "invert", false, path));
            case "ByteLevel" -> new PreTokenizer.ByteLevel(bool(node, "add_prefix_space", true, path),
                    bool(node, "use_regex", true, path));
            case "Metaspace" -> new PreTokenizer.Metaspace(replacement(node, path), prependScheme(node, path),
                    bool(node, "split", true, path));
            case "Sequence" -> {
                List<PreTokenizer> list = new ArrayList<>();
                JsonNode items = array(node, "pretokenizers", path);
                for (int i = 0; i < items.size(); i++) {
                    list.add(required(preTokenizer(items.get(i), path + ".pretokenizers[" + i + "]"), path));
                }
                yield new PreTokenizer.Sequence(list);
            }
            default -> throw unsupported(path, "pre_tokenizer", type, "Split, ByteLevel, Metaspace, Sequence");
        };
    }

    Decoder decoder(JsonNode node, String path) {
        if (isAbsent(node)) {
            return null;
        }
        String type = type(node, path);
        return switch (type) {
            case "ByteLevel" -> new Decoder.ByteLevel();
            case "Replace" -> new Decoder.Replace(pattern(node, path), text(node, "content", path));
            case "ByteFallback" -> new Decoder.ByteFallback();
            case "Fuse" -> new Decoder.Fuse();
            case "Strip" -> new Decoder.Strip(singleChar(node, "content", path),
                    count(node, "start", path), count(node, "stop", path));
            case "Metaspace" -> new Decoder.Metaspace(replacement(node, path),
                    prependScheme(node, path) != PreTokenizer.PrependScheme.NEVER);
            case "Sequence" -> {
                List<Decoder> list = new ArrayList<>();
                JsonNode items = array(node, "decoders", path);
                for (int i = 0; i < items.size(); i++) {
                    list.add(required(decoder(items.get(i), path + ".decoders[" + i + "]"), path));
                }
                yield new Decoder.Sequence(list);
            }
            default -> throw unsupported(path, "decoder", type,
                    "ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace, Sequence");
        };
    }

    PostProcessor postProcessor(JsonNode node, String path) {
        if (isAbsent(node)) {
            return new PostProcessor.Identity();
        }
        String type = type(node, path);
        return switch (type) {
            case "ByteLevel" -> new PostProcessor.Identity();
            case "TemplateProcessing" -> template(node, path);
            case "Sequence" -> {
                List<PostProcessor> list = new ArrayList<>();
                JsonNode items = array(node, "processors", path);
                for (int i = 0; i < items.size(); i++) {
                    list.add(postProcessor(items.get(i), path + ".processors[" + i + "]"));
                }
                yield new PostProcessor.Sequence(list);
            }
            default -> throw unsupported(path, "post_processor", type, "ByteLevel, TemplateProcessing, Sequence");
        };
    }

    private PostProcessor template(JsonNode node, String path) {
        JsonNode specials = node.path("special_tokens");
        List<PostProcessor.Template.Item> items = new ArrayList<>();
        JsonNode single = array(node, "single", path);
        for (int i = 0; i < single.size(); i++) {
            String where = path + ".single[" + i + "]";
            JsonNode item = single.get(i);
            if (item.has("Sequence")) {
                String id = item.path("Sequence").path("id").asText();
                if (!id.equals("A")) {
                    throw new FornaxException(file + ": " + where + ": a single-sequence template can only use"
                            + " sequence A, not " + id);
                }
                items.add(new PostProcessor.Template.Text());
            } else if (item.has("SpecialToken")) {
                String name = item.path("SpecialToken").path("id").asText();
                JsonNode ids = specials.path(name).path("ids");
                if (!ids.isArray() || ids.isEmpty()) {
                    throw new FornaxException(file + ": " + where + ": special token \"" + name
                            + "\" has no ids in " + path + ".special_tokens");
                }
                int[] values = new int[ids.size()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = ids.get(k).asInt(-1);
                    if (!ids.get(k).canConvertToInt() || values[k] < 0) {
                        throw new FornaxException(file + ": " + path + ".special_tokens." + name
                                + ".ids: not a token id: " + ids.get(k));
                    }
                }
                items.add(new PostProcessor.Template.Special(name, values));
            } else {
                throw new FornaxException(file + ": " + where + ": expected Sequence or SpecialToken, got " + JsonFiles.shown(item));
            }
        }
        return new PostProcessor.Template(items);
    }

    List<AddedToken> addedTokens(JsonNode node) {
        List<AddedToken> tokens = new ArrayList<>();
        if (isAbsent(node)) {
            return tokens;
        }
        if (!node.isArray()) {
            throw new FornaxException(file + ": added_tokens must be an array");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            String where = "added_tokens[" + i + "]";
            JsonNode id = t.path("id");
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0
                    || id.asInt() >= TokenizerJsonReader.MAX_ID) {
                throw new FornaxException(file + ": " + where + ".id: not a token id: " + JsonFiles.shown(id));
            }
            boolean special = bool(t, "special", false, where);
            tokens.add(new AddedToken(id.asInt(), text(t, "content", where), special,
                    bool(t, "normalized", !special, where), bool(t, "lstrip", false, where),
                    bool(t, "rstrip", false, where), bool(t, "single_word", false, where)));
        }
        return tokens;
    }

    private Pattern pattern(JsonNode node, String path) {
        JsonNode pattern = node.path("pattern");
        if (pattern.has("String")) {
            String literal = pattern.get("String").asText();
            // HF escapes the string into a regex; an empty one matches nothing
            return literal.isEmpty() ? Pattern.compile("(?!)") : OnigRegex.literal(literal);
        }
        if (pattern.has("Regex")) {
            return OnigRegex.compile(pattern.get("Regex").asText(), file + ": " + path + ".pattern");
        }
        throw new FornaxException(file + ": " + path + ".pattern: expected {\"String\": ...} or {\"Regex\": ...}");
    }

    private static final Map<String, SplitBehavior> BEHAVIORS = Map.of(
            "Removed", SplitBehavior.REMOVED, "Isolated", SplitBehavior.ISOLATED,
            "MergedWithPrevious", SplitBehavior.MERGED_WITH_PREVIOUS, "MergedWithNext",
            SplitBehavior.MERGED_WITH_NEXT, "Contiguous", SplitBehavior.CONTIGUOUS);

    private SplitBehavior behavior(JsonNode node, String path) {
        String name = text(node, "behavior", path);
        SplitBehavior behavior = BEHAVIORS.get(name);
        if (behavior == null) {
            throw new FornaxException(file + ": " + path + ".behavior: unknown split behavior " + JsonFiles.shorten(name, 80));
        }
        return behavior;
    }

    private String replacement(JsonNode node, String path) {
        int cp = singleChar(node, "replacement", path);
        return new String(Character.toChars(cp));
    }

    /** Metaspace's prepend_scheme; the older add_prefix_space=false means never. */
    private PreTokenizer.PrependScheme prependScheme(JsonNode node, String path) {
        if (node.path("add_prefix_space").isBoolean() && !node.get("add_prefix_space").asBoolean()) {
            return PreTokenizer.PrependScheme.NEVER;
        }
        String scheme = node.path("prepend_scheme").asText("always");
        return switch (scheme) {
            case "always" -> PreTokenizer.PrependScheme.ALWAYS;
            case "first" -> PreTokenizer.PrependScheme.FIRST;
            case "never" -> PreTokenizer.PrependScheme.NEVER;
            default -> throw new FornaxException(file + ": " + path + ".prepend_scheme: unknown value " + JsonFiles.shorten(scheme, 80));
        };
    }

    private int singleChar(JsonNode node, String field, String path) {
        String s = text(node, field, path);
        if (s.codePointCount(0, s.length()) != 1) {
            throw new FornaxException(file + ": " + path + "." + field + ": expected one character, got \"" + JsonFiles.shorten(s, 80) + "\"");
        }
        return s.codePointAt(0);
    }

    private int count(JsonNode node, String field, String path) {
        JsonNode value = node.path(field);
        if (!value.canConvertToInt() || value.asInt() < 0) {
            throw new FornaxException(file + ": " + path + "." + field + ": expected a count, got " + JsonFiles.shown(value));
        }
        return value.asInt();
    }

    private String type(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new FornaxException(file + ": " + path + ": expected an object, got " + node.getNodeType());
        }
        return text(node, "type", path);
    }

    private String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new FornaxException(file + ": " + path + "." + field + ": missing or not a string");
        }
        return value.asText();
    }

    private boolean bool(JsonNode node, String field, boolean fallback, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new FornaxException(file + ": " + path + "." + field + ": expected true or false, got " + JsonFiles.shown(value));
        }
        return value.asBoolean();
    }

    private JsonNode array(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new FornaxException(file + ": " + path + "." + field + ": missing or not an array");
        }
        return value;
    }

    private <T> T required(T component, String path) {
        if (component == null) {
            throw new FornaxException(file + ": " + path + ": a sequence element is null");
        }
        return component;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private FornaxException unsupported(String path, String kind, String type, String supported) {
        return new FornaxException(file + ": " + path + ": " + kind + " type " + type
                + " is not supported (supported: " + supported + ")");
    }
}
