package dev.fornax.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.cli.Main;
import dev.fornax.testing.Shared;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code fornax tokenize} through {@link Main#run}, stdout and stderr captured. */
class TokenizeCommandTest {
    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void encodesWithTheTokenizerNextToALlama2cCheckpoint() {
        Result r = run("tokenize", "models/stories260K/stories260K.bin", "--text", "Once upon a time");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("1 403 407 261 378" + System.lineSeparator());
        assertThat(run("tokenize", "models/stories260K/tok512.bin", "--text", "Once upon a time", "--no-special")
                .out()).startsWith("403 407 261 378");
    }

    @Test
    void jsonHasIdsAndText() throws Exception {
        Result r = run("tokenize", "models/stories260K/stories260K.bin", "--decode", "1,403,407,261,378", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("ids").toString()).isEqualTo("[1,403,407,261,378]");
        assertThat(json.get("text").asText()).isEqualTo("\n<s>\nOnce upon a time");
        Result plain = run("tokenize", "models/stories260K/tok512.bin", "--decode", "1, 403,407", "--no-special");
        assertThat(plain.out()).isEqualTo("Once upon" + System.lineSeparator());
    }

    @Test
    void hfTokenizerAddsSpecialTokensAsHfDoes() throws Exception {
        String mistral = Shared.require("tokenizers/mistral/tokenizer.json").toString();
        JsonNode json = new ObjectMapper().readTree(run("tokenize", mistral, "--text", "Hello world", "--json").out());
        assertThat(json.get("ids").toString()).isEqualTo("[1,22557,1526]");
        assertThat(json.get("text").asText()).isEqualTo("Hello world");
        assertThat(run("tokenize", mistral, "--text", "Hello world", "--no-special").out()).startsWith("22557 1526");
        // non-ASCII output is UTF-8 whatever the platform charset (ids from mistral/encodings.jsonl)
        Result decoded = run("tokenize", mistral, "--decode", "29383,29530,28705,243,162,144,152");
        assertThat(decoded.out()).isEqualTo("你好 🍕" + System.lineSeparator());
        Result dir = run("tokenize", Shared.require("models/stories260K-hf").toString(), "--text", "Once upon a time");
        assertThat(dir.out()).startsWith("1 403 407 261 378");
    }

    @Test
    void badInputGivesOneLineAndExitCode1() {
        Result letters = run("tokenize", "models/stories260K/tok512.bin", "--decode", "1,abc");
        assertThat(letters.exitCode()).isEqualTo(1);
        assertThat(letters.err()).isEqualTo("fornax: --decode: \"abc\" is not a token id (expected comma-separated"
                + " integers such as 1,403,407)" + System.lineSeparator());
        Result range = run("tokenize", "models/stories260K/tok512.bin", "--decode", "1,512");
        assertThat(range.exitCode()).isEqualTo(1);
        assertThat(range.err()).contains("token id 512 is outside the tokenizer's vocabulary (0..511)");
        Result negative = run("tokenize", "models/stories260K/tok512.bin", "--decode", "-3");
        assertThat(negative.err()).contains("token id -3 is outside");
        Result missing = run("tokenize", "no/such/model", "--text", "hi");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("fornax: no/such/model: no such file" + System.lineSeparator());
        assertThat(missing.out()).isEmpty();
        Result both = run("tokenize", "models/stories260K/tok512.bin", "--text", "a", "--decode", "1");
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("mutually exclusive");
    }
}
