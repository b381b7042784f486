package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    static final String BIN = "models/stories260K/stories260K.bin";

    @TempDir
    Path tmp;

    @Test
    void textReportOnTheFloatGreedyContinuation() {
        CliRun r = CliRun.of("eval", BIN, "--prompt", "Once upon a time", "--greedy", "59");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("teacher-forced on 64 positions of stories260K.bin")
                .contains("top-1 agreement           63/64 (98.44%)")
                .contains("where float lead >= 0.5   54/54 (100.00%)")
                .contains("hidden-state cosine").contains("    4      0.99")
                // The one miss: the 0.071-logit near-tie after "...too high."
                .contains("61: 13 '\\n' / 338 ' She', 0.071");
    }

    @Test
    void jsonHasStableKeysAndIsDeterministic() throws Exception {
        CliRun a = CliRun.of("eval", BIN, "--tokens", "1,403,407,261,378", "--greedy", "59", "--json");
        CliRun b = CliRun.of("eval", BIN, "--tokens", "1,403,407,261,378", "--greedy", "59", "--json");
        assertThat(a.exit()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        JsonNode j = new ObjectMapper().readTree(a.out());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("tokens", "positions", "top1_matches", "top1_agreement", "confident_lead",
                "confident_positions", "confident_matches", "confident_agreement", "cosine_mean", "cosine_min",
                "mean_abs_delta", "max_abs_delta", "kl_mean", "kl_max", "perplexity_float", "perplexity_int8",
                "hidden_cosine", "disagreements");
        assertThat(j.get("tokens")).hasSize(64);
        assertThat(j.get("tokens").get(4).asInt()).isEqualTo(378);
        assertThat(j.get("positions").asInt()).isEqualTo(64);
        assertThat(j.get("top1_matches").asInt()).isEqualTo(63);
        assertThat(j.get("confident_agreement").asDouble()).isEqualTo(1.0);
        assertThat(j.get("cosine_min").asDouble()).isGreaterThan(0.998);
        assertThat(j.get("hidden_cosine")).hasSize(5);
        assertThat(j.get("hidden_cosine").get(0).get("layer").asInt()).isZero();
        JsonNode d = j.get("disagreements").get(0);
        assertThat(d.get("position").asInt()).isEqualTo(61);
        assertThat(d.get("float_top1").asInt()).isEqualTo(13);
        assertThat(d.get("int8_top1").asInt()).isEqualTo(338);
        assertThat(j.get("perplexity_int8").asDouble()).isGreaterThan(1);
    }

    @Test
    void aSinglePositionHasNoPerplexityAndWritesNullNotNaN() throws Exception {
        CliRun r = CliRun.of("eval", BIN, "--tokens", "1", "--json");
        assertThat(r.exit()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("perplexity_float").isNull()).isTrue();
        assertThat(j.get("positions").asInt()).isEqualTo(1);
    }

    @Test
    void textFileIsEncodedWithTheTokenizerAndCanBeCut() throws Exception {
        Path text = tmp.resolve("story.txt");
        Files.writeString(text, "Lily and Ben were playing in the garden. They saw a big red ball.");
        CliRun r = CliRun.of("eval", BIN, "--text", text.toString(), "--max-positions", "10", "--json");
        assertThat(r.err()).isEmpty();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("positions").asInt()).isEqualTo(10);
        assertThat(j.get("tokens").get(0).asInt()).isEqualTo(1); // BOS
    }

    @Test
    void badInputsAreOneLineErrors() throws Exception {
        CliRun missing = CliRun.of("eval", BIN, "--text", tmp.resolve("nope.txt").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("fornax: --text ").contains("no such file");
        CliRun bad = CliRun.of("eval", BIN, "--tokens", "1,9999");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("9999").contains("vocabulary");
        CliRun neg = CliRun.of("eval", BIN, "--tokens", "1", "--greedy", "-1");
        assertThat(neg.exit()).isEqualTo(1);
        assertThat(neg.err()).contains("--greedy");
        Path binary = tmp.resolve("bad.txt");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        CliRun utf = CliRun.of("eval", BIN, "--text", binary.toString());
        assertThat(utf.exit()).isEqualTo(1);
        assertThat(utf.err()).contains("not valid UTF-8");
        Path fixture = Shared.require("fixtures/hf/llama");
        CliRun noTok = CliRun.of("eval", fixture.toString(), "--prompt", "hi");
        assertThat(noTok.exit()).isEqualTo(1);
        assertThat(noTok.err()).contains("no tokenizer").contains("--tokens");
        assertThat(noTok.err().lines().count()).isEqualTo(1);
    }
}
