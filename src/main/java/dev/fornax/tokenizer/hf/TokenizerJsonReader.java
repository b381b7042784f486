package dev.fornax.tokenizer.hf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code tokenizer.json} (and optionally {@code tokenizer_config.json}) into an {@link HfTokenizer}.
 * The model's vocabulary and merges (Gemma 3: 262k tokens, 514k merges, 33 MB) are streamed token by
 * token; the small sections are read as trees and turned into components by {@link ComponentReader}.
 */
final class TokenizerJsonReader {
    // The shared factory: limits, duplicate keys refused, field names (vocabulary entries) not interned.
    private static final ObjectMapper MAPPER = JsonFiles.VALUES;

    /** Token ids index arrays: far above any real vocabulary (262,144), far below a heap's worth. */
    static final int MAX_ID = 1 << 24;

    private final Path file;
    private final Map<String, JsonNode> sections = new HashMap<>();
    private final ObjectNode modelSettings = MAPPER.createObjectNode();
    private Map<String, Integer> vocab;
    private final List<String> mergeLefts = new ArrayList<>();
    private final List<String> mergeRights = new ArrayList<>();

    private TokenizerJsonReader(Path file) {
        this.file = file;
    }

    static HfTokenizer read(Path tokenizerJson, Path tokenizerConfig) {
        TokenizerJsonReader reader = new TokenizerJsonReader(tokenizerJson);
        reader.parse();
        try {
            return reader.build(tokenizerConfig, tokenizerConfig == null ? null : readTree(tokenizerConfig));
        } catch (OnigRegex.BudgetExceeded e) { // a normalizer regex applied to an added token's content
            throw new FornaxException(tokenizerJson + ": " + e.getMessage());
        }
    }

    private void parse() {
        byte[] bytes = JsonFiles.readUtf8(file); // strict UTF-8 and the size limit; a missing file is named
        try (JsonParser p = JsonFiles.parser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new FornaxException(file + ": not a tokenizer.json: the top level is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("model") && p.currentToken() == JsonToken.START_OBJECT) {
                    readModel(p);
                } else {
                    sections.put(name, MAPPER.readTree(p));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new FornaxException(file + ": invalid JSON: unexpected content after the top-level object");
            }
        } catch (JsonProcessingException e) {
            throw JsonFiles.error(file.toString(), e); // nesting, string and number limits included
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read: " + IoErrors.describe(e), e);
        }
    }

    private void readModel(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "vocab" -> readVocab(p);
                case "merges" -> readMerges(p);
                default -> modelSettings.set(name, MAPPER.readTree(p));
            }
        }
    }

    private void readVocab(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new FornaxException(file + ": model.vocab must be an object of token → id (is the model"
                    + " Unigram? only BPE is supported)");
        }
        vocab = new HashMap<>(1 << 16);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String token = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0
                    || p.getLongValue() >= MAX_ID) {
                throw new FornaxException(file + ": model.vocab[\"" + JsonFiles.shorten(token, 80) + "\"]: the id must be"
                        + " an integer in 0.." + (MAX_ID - 1) + ", got " + JsonFiles.shorten(p.getText(), 80));
            }
            vocab.put(token, p.getIntValue());
        }
    }

    private void readMerges(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new FornaxException(file + ": model.merges must be an array");
        }
        int index = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
            if (t == JsonToken.VALUE_STRING) {
                String line = p.getText();
                if (line.startsWith("#version")) {
                    continue; // a merges.txt header; HF skips it
                }
                String[] parts = line.split(" ", -1);
                if (parts.length != 2) {
                    throw badMerge(index, "\"" + line + "\" is not two tokens separated by one space");
                }
                mergeLefts.add(parts[0]);
                mergeRights.add(parts[1]);
            } else if (t == JsonToken.START_ARRAY) {
                String left = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                String right = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                if (left == null || right == null || p.nextToken() != JsonToken.END_ARRAY) {
                    throw badMerge(index, "expected a pair [\"a\", \"b\"]");
                }
                mergeLefts.add(left);
                mergeRights.add(right);
            } else {
                throw badMerge(index, "expected \"a b\" or [\"a\", \"b\"], got " + t);
            }
        }
    }

    private FornaxException badMerge(int index, String problem) {
        return new FornaxException(file + ": model.merges[" + index + "]: " + problem);
    }

    private HfTokenizer build(Path configFile, JsonNode config) {
        if (vocab == null) {
            throw new FornaxException(file + ": no model.vocab: not a tokenizer.json with a BPE model");
        }
        ComponentReader components = new ComponentReader(file);
        String type = modelSettings.path("type").asText("BPE");
        if (!type.equals("BPE")) {
            throw new FornaxException(file + ": model.type is " + type + "; only BPE tokenizers are supported");
        }
        JsonNode dropout = modelSettings.path("dropout");
        if (dropout.isNumber() && dropout.asDouble() > 0) {
            throw new FornaxException(file + ": model.dropout is " + dropout.asDouble()
                    + "; BPE dropout makes encoding random and is not supported");
        }
        BpeModel.Options options = new BpeModel.Options(
                nonNullText(modelSettings.get("unk_token")),
                modelSettings.path("fuse_unk").asBoolean(false),
                modelSettings.path("byte_fallback").asBoolean(false),
                modelSettings.path("ignore_merges").asBoolean(false),
                nonNullText(modelSettings.get("continuing_subword_prefix")),
                nonNullText(modelSettings.get("end_of_word_suffix")));
        BpeModel model = new BpeModel(vocab, reverseVocab(), mergeTable(options.continuingSubwordPrefix()),
                options);

        Normalizer normalizer = components.normalizer(sections.get("normalizer"), "normalizer");
        List<AddedToken> addedTokens = components.addedTokens(sections.get("added_tokens"));
        AddedVocabulary added = new AddedVocabulary(addedTokens, normalizer);
        PreTokenizer preTokenizer = components.preTokenizer(sections.get("pre_tokenizer"), "pre_tokenizer");
        PostProcessor post = components.postProcessor(sections.get("post_processor"), "post_processor");
        Decoder decoder = components.decoder(sections.get("decoder"), "decoder");
        if (config != null) {
            post = TransformersConfig.postProcessor(configFile, config, post, token -> idOf(token, addedTokens, model));
        }
        return new HfTokenizer(file, added, normalizer, preTokenizer, model, post, decoder);
    }

    private static Integer idOf(String token, List<AddedToken> addedTokens, BpeModel model) {
        for (AddedToken t : addedTokens) {
            if (t.content().equals(token)) {
                return t.id();
            }
        }
        return model.id(token);
    }

    private String[] reverseVocab() {
        int limit = 0;
        for (int id : vocab.values()) {
            limit = Math.max(limit, id + 1);
        }
        String[] idToToken = new String[limit];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String previous = idToToken[e.getValue()];
            if (previous != null) {
                throw new FornaxException(file + ": model.vocab: \"" + previous + "\" and \"" + e.getKey()
                        + "\" have the same id " + e.getValue());
            }
            idToToken[e.getValue()] = e.getKey();
        }
        return idToToken;
    }

    private MergeTable mergeTable(String continuingSubwordPrefix) {
        int prefixLength = continuingSubwordPrefix == null ? 0 : continuingSubwordPrefix.length();
        MergeTable table = new MergeTable(mergeLefts.size());
        for (int rank = 0; rank < mergeLefts.size(); rank++) {
            String left = mergeLefts.get(rank);
            String right = mergeRights.get(rank);
            Integer leftId = vocab.get(left);
            Integer rightId = vocab.get(right);
            String merged = left + right.substring(Math.min(prefixLength, right.length()));
            Integer mergedId = vocab.get(merged);
            String missing = leftId == null ? left : rightId == null ? right : mergedId == null ? merged : null;
            if (missing != null) {
                throw badMerge(rank, "\"" + missing + "\" is not in model.vocab");
            }
            table.put(leftId, rightId, rank, mergedId);
        }
        mergeLefts.clear();
        mergeRights.clear();
        return table;
    }

    private static String nonNullText(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    static JsonNode readTree(Path file) {
        JsonNode node = JsonFiles.read(file);
        if (node == null || !node.isObject()) {
            throw new FornaxException(file + ": expected a JSON object");
        }
        return node;
    }
}
