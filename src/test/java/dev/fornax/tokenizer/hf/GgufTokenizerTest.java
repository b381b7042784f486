package dev.fornax.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.testing.Shared;
import dev.fornax.tokenizer.Tokenizer;
import dev.fornax.tokenizer.Tokenizers;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Tokenizers read from GGUF metadata written by llama.cpp's converter, against independent reference
 * encodings: {@code tokenizers.tsv} in the fixture directory lists GGUF file → reference file (JSON
 * lines {text, ids, add_special_tokens[, decoded]}) → the records to skip and why. The committed
 * fixtures' SentencePiece vocabularies are checked against the sentencepiece library's own encodings;
 * {@code FORNAX_GGUF_DIR} adds vocab-only GGUFs of the real tokenizer.json files in
 * ../shared/tokenizers, checked against their encodings.jsonl (HF tokenizers 0.23.2).
 */
class GgufTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyListedTokenizer() throws IOException, URISyntaxException {
        Path dir = fixtureDir();
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("tokenizers.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            tests.add(dynamicTest(f[0] + " vs " + f[1], () -> check(dir.resolve(f[0]), reference(dir, f[1]),
                    f.length > 2 ? f[2] : "")));
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    static Path fixtureDir() throws URISyntaxException {
        String env = System.getenv("FORNAX_GGUF_DIR");
        if (env != null) {
            return Path.of(env);
        }
        return Path.of(GgufTokenizerTest.class.getResource("/gguf/tokenizers.tsv").toURI()).getParent();
    }

    /** "shared:NAME" is ../shared/tokenizers/NAME/encodings.jsonl, anything else a file beside the GGUFs. */
    private static Path reference(Path dir, String name) {
        return name.startsWith("shared:")
                ? Shared.require("tokenizers/" + name.substring(7)).resolve("encodings.jsonl")
                : dir.resolve(name);
    }

    /**
     * {@code skip}: "special" skips the add_special_tokens=true records (the GGUF's add_bos differs from
     * the tokenizer.json's post-processor, see the README), "" checks every record.
     */
    private static void check(Path gguf, Path reference, String skip) throws IOException {
        Tokenizer tokenizer = Tokenizers.open(gguf);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String json : Files.readAllLines(reference)) {
            JsonNode r = JSON.readTree(json);
            boolean addSpecial = r.get("add_special_tokens").asBoolean();
            if (addSpecial && skip.equals("special")) {
                continue;
            }
            String text = r.get("text").asText();
            int[] ids = JSON.convertValue(r.get("ids"), int[].class);
            checked++;
            int[] actual = tokenizer.encode(text, addSpecial);
            if (!Arrays.equals(actual, ids)) {
                failures.add(preview(text) + " special=" + addSpecial + ": " + Arrays.toString(actual) + " != "
                        + Arrays.toString(ids));
            } else if (r.has("decoded") && !tokenizer.decode(ids).equals(r.get("decoded").asText())) {
                failures.add(preview(text) + ": decoded " + tokenizer.decode(ids));
            }
        }
        System.out.printf("%s: %d/%d records equal %s%n", gguf.getFileName(), checked - failures.size(), checked,
                reference);
        assertThat(failures).as("%s vs %s", gguf, reference).isEmpty();
        assertThat(checked).isGreaterThan(20);
    }

    private static String preview(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return "\"" + (oneLine.length() > 40 ? oneLine.substring(0, 40) + "…" : oneLine) + "\"";
    }
}
