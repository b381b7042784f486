package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.testing.Shared;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code fornax generate} against llama2.c's run.c output (test resources, engine/llama2c-runc). */
class GenerateCommandTest {
    static final String BIN = "models/stories260K/stories260K.bin";
    static final String RUNC = "/dev/fornax/engine/llama2c-runc/";

    @Test
    void storiesCheckpointPrintsExactlyWhatRunCPrints() throws Exception {
        CliRun r = CliRun.of("generate", BIN, "--prompt", "Once upon a time", "-n", "60");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(CliRun.resource(RUNC + "run-n64-once-upon-a-time.txt"));
    }

    @Test
    void theHfCopyPrintsTheSameText() throws Exception {
        String hf = Shared.require("models/stories260K-hf").toString();
        CliRun r = CliRun.of("generate", hf, "--prompt", "Once upon a time", "-n", "60");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(CliRun.resource(RUNC + "run-n64-once-upon-a-time.txt"));
    }

    @Test
    void aLongStoryStopsWhereRunCStopsAndReportsEos() throws Exception {
        String expected = CliRun.resource(RUNC + "run-n512-once-upon-a-time.txt");
        CliRun plain = CliRun.of("generate", BIN, "--prompt", "Once upon a time", "-n", "507");
        assertThat(plain.out()).isEqualTo(expected);

        CliRun r = CliRun.of("generate", BIN, "--prompt", "Once upon a time", "-n", "507", "--json");
        assertThat(r.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("prompt_tokens", "tokens", "text", "stop_reason");
        assertThat(json.get("prompt_tokens").toString()).isEqualTo("[1,403,407,261,378]");
        assertThat(json.get("stop_reason").asText()).isEqualTo("eos");
        JsonNode tokens = json.get("tokens");
        assertThat(tokens.get(tokens.size() - 1).asInt()).as("the stop token is returned").isEqualTo(1);
        assertThat(json.get("text").asText() + "\n").isEqualTo(expected);

        // --ignore-eos runs past the end of the story
        CliRun ignoring = CliRun.of("generate", BIN, "--prompt", "Once upon a time", "-n", "507",
                "--ignore-eos", "--json");
        JsonNode all = new ObjectMapper().readTree(ignoring.out());
        assertThat(all.get("tokens").size()).isEqualTo(507);
        assertThat(all.get("stop_reason").asText()).isEqualTo("length");
    }

    @Test
    void tokensAreUsedAsGivenAndJsonHasTheDecodedText() throws Exception {
        CliRun r = CliRun.of("generate", BIN, "--tokens", "1,403,407,261,378", "-n", "60", "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("tokens").size()).isEqualTo(60);
        assertThat(json.get("stop_reason").asText()).isEqualTo("length");
        assertThat(json.get("text").asText() + "\n").isEqualTo(CliRun.resource(RUNC + "run-n64-once-upon-a-time.txt"));
        // without BOS the model sees a different sequence: the ids are not edited
        CliRun noBos = CliRun.of("generate", BIN, "--tokens", "403,407,261,378", "-n", "5", "--json");
        assertThat(new ObjectMapper().readTree(noBos.out()).get("prompt_tokens").toString())
                .isEqualTo("[403,407,261,378]");
    }

    @Test
    void aModelWithoutTokenizerStreamsIdsAndHasNullText() throws Exception {
        String llama = Shared.require("fixtures/hf/llama").toString();
        String ids = "1,48,300,12";
        CliRun json = CliRun.of("generate", llama, "--tokens", ids, "-n", "6", "--ignore-eos", "--json");
        assertThat(json.exit()).isZero();
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertThat(node.get("text").isNull()).isTrue();
        assertThat(node.get("tokens").size()).isEqualTo(6);
        CliRun plain = CliRun.of("generate", llama, "--tokens", ids, "-n", "6", "--ignore-eos");
        StringBuilder expected = new StringBuilder();
        node.get("tokens").forEach(t -> expected.append(t.asInt()).append(' '));
        assertThat(plain.out()).isEqualTo(expected + "\n");

        CliRun prompt = CliRun.of("generate", llama, "--prompt", "hello");
        assertThat(prompt.exit()).isEqualTo(1);
        assertThat(prompt.err()).startsWith("fornax: no tokenizer found for").contains("--tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1,x,3", "1,,3", "1.5", "512", "-1", "99999999999999"})
    void badTokensGiveOneClearErrorLine(String tokens) {
        CliRun r = CliRun.of("generate", BIN, "--tokens", tokens, "-n", "3");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("fornax: --tokens").endsWith("\n");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void contextOverflowAndUnknownEngineAreClearErrors() {
        CliRun tooLong = CliRun.of("generate", BIN, "--prompt", "Once upon a time", "-n", "508");
        assertThat(tooLong.exit()).isEqualTo(1);
        assertThat(tooLong.err()).isEqualTo(
                "fornax: prompt (5 tokens) + 508 new tokens = 513 exceeds the model's context length of 512 positions\n");
        CliRun engine = CliRun.of("generate", BIN, "--tokens", "1", "--engine", "gpu");
        assertThat(engine.exit()).isEqualTo(1);
        assertThat(engine.err()).startsWith("fornax: unknown engine 'gpu'; known engines: float").endsWith("\n")
                .hasLineCount(1);
        CliRun both = CliRun.of("generate", BIN, "--tokens", "1", "--prompt", "x");
        assertThat(both.exit()).isNotZero();
        CliRun missing = CliRun.of("generate", "no/such/model.bin", "--tokens", "1");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("fornax: ").contains("no/such/model.bin");
    }
}
