package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.testing.Shared;
import dev.fornax.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every record of ../shared/tokenizers/NAME/encodings.jsonl: ids computed by transformers.js
 * (@lenml/tokenizers 3.7.2) and HF tokenizers 0.23.2 (they agree on all), for add_special_tokens true
 * and false, and the text the decoder chain gives back (special tokens kept, no clean-up).
 */
class ReferenceEncodingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> qwen3() throws IOException {
        return records("qwen3");
    }

    @TestFactory
    Stream<DynamicTest> llama3() throws IOException {
        return records("llama3");
    }

    @TestFactory
    Stream<DynamicTest> mistral() throws IOException {
        return records("mistral");
    }

    @TestFactory
    Stream<DynamicTest> gemma3() throws IOException {
        return records("gemma3");
    }

    private static Stream<DynamicTest> records(String name) throws IOException {
        Path dir = Shared.require("tokenizers/" + name);
        List<DynamicTest> tests = new ArrayList<>();
        int line = 0;
        for (String json : Files.readAllLines(dir.resolve("encodings.jsonl"))) {
            line++;
            JsonNode record = JSON.readTree(json);
            String text = record.get("text").asText();
            boolean addSpecial = record.get("add_special_tokens").asBoolean();
            int[] ids = JSON.convertValue(record.get("ids"), int[].class);
            String decoded = record.get("decoded").asText();
            String label = name + ":" + line + " special=" + addSpecial + " " + preview(text);
            tests.add(DynamicTest.dynamicTest(label, () -> {
                Tokenizer tokenizer = FixtureTokenizers.get(name);
                assertThat(tokenizer.encode(text, addSpecial)).as("ids of %s", label).containsExactly(ids);
                assertThat(tokenizer.decode(ids)).as("decoded").isEqualTo(decoded);
                assertThat(streamed(tokenizer, ids)).as("streamed").isEqualTo(decoded);
            }));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(90);
        return tests.stream();
    }

    private static String streamed(Tokenizer tokenizer, int[] ids) {
        Tokenizer.StreamDecoder stream = tokenizer.streamDecoder();
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(stream.next(id));
        }
        return out.append(stream.finish()).toString();
    }

    private static String preview(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "…" : oneLine;
    }
}
