package dev.fornax.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON files beyond any sane size (issue 13 item 6: a tokenizer.json nested 5,000 deep or holding a
 * 21 MB string ended in "internal error: NullPointerException"): one line naming the file.
 */
class JsonLimitsTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(Main.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void refused(Run r, Path file, String... fragments) {
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: " + file + ": ").contains(fragments).endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("internal error");
        assertThat(r.err().length()).isLessThan(600);
    }

    private static String deep(int levels) {
        return "{\"a\": " + "[".repeat(levels) + "]".repeat(levels) + "}";
    }

    private static final String TOKENIZER = "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}";

    @Test
    void tokenizerJsonNestedFiveThousandDeep() throws Exception {
        Path f = Files.writeString(tmp.resolve("tokenizer.json"), deep(5000));
        refused(run("tokenize", f.toString(), "--text", "a"), f, "exceeds a JSON limit", "nesting depth");
    }

    @Test
    void tokenizerConfigNestedFiveThousandDeep() throws Exception {
        Path f = Files.writeString(tmp.resolve("tokenizer.json"), TOKENIZER + "}");
        Path c = Files.writeString(tmp.resolve("tokenizer_config.json"), deep(5000));
        refused(run("tokenize", f.toString(), "--text", "a"), c, "nesting depth");
    }

    @Test
    void tokenizerJsonHoldingA21MegabyteString() throws Exception {
        Path f = Files.writeString(tmp.resolve("tokenizer.json"), TOKENIZER + ", \"x\": \"" + "y".repeat(21_000_000) + "\"}");
        refused(run("tokenize", f.toString(), "--text", "a"), f, "exceeds a JSON limit", "String value length");
    }

    @Test
    void tokenizerConfigHoldingA21MegabyteString() throws Exception {
        Path f = Files.writeString(tmp.resolve("tokenizer.json"), TOKENIZER + "}");
        Path c = Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"chat_template\": \"" + "y".repeat(21_000_000) + "\"}");
        refused(run("tokenize", f.toString(), "--text", "a"), c, "String value length");
    }

    @Test
    void configJsonNumberWithThousandsOfDigits() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Path f = Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", \"hidden_size\": "
                + "9".repeat(5000) + "}");
        refused(run("inspect", dir.toString()), f, "exceeds a JSON limit", "Number value length");
    }

    @Test
    void configJsonWithAHugeKey() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Path f = Files.writeString(dir.resolve("config.json"), "{\"" + "k".repeat(100_000) + "\": 1}");
        refused(run("inspect", dir.toString()), f, "exceeds a JSON limit", "Name length");
    }

    @Test
    void configJsonWithADuplicateKey() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Path f = Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", \"model_type\": \"qwen2\"}");
        refused(run("inspect", dir.toString()), f, "duplicate key", "model_type", "line 1");
    }

    @Test
    void configJsonWithTrailingContent() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Path f = Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"} {\"x\": 1}");
        refused(run("inspect", dir.toString()), f, "invalid JSON");
    }

    @Test
    void jsonFileLargerThanAnyRealOne() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Path f = dir.resolve("config.json");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(JsonFiles.MAX_FILE_BYTES + 1); // sparse: no disk used
        }
        refused(run("inspect", dir.toString()), f, "larger than any JSON file fornax reads may be");
    }

    @Test
    void manifestNestedDeep() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("design"));
        Path f = Files.writeString(dir.resolve("manifest.json"), deep(5000));
        refused(run("verify", dir.toString(), "--tokens", "1"), f, "nesting depth");
    }

    @Test
    void byteOrderMarkIsAccepted() throws Exception {
        Path f = tmp.resolve("tokenizer.json");
        Files.write(f, ("\ufeff" + TOKENIZER + "}").getBytes(StandardCharsets.UTF_8));
        Run r = run("tokenize", f.toString(), "--text", "a");
        assertThat(r.exit()).as(r.err()).isZero();
    }
}
