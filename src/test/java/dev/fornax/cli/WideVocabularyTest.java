package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wide path on a CI-sized model: a tiny qwen2 whose vocabulary (131,072 ids) is as wide as
 * real ones (ids above 2^16, 512 KiB per logits row), through {@code tiny}, {@code generate} and
 * {@code logits}. Greedy tokens must be the argmax of the teacher-forced logits of the same sequence.
 */
class WideVocabularyTest {
    static final int VOCAB = 131_072;

    @TempDir
    Path tmp;

    @Test
    void greedyTokensAreTheArgmaxOfTeacherForcedLogits() throws Exception {
        Path model = tmp.resolve("wide");
        CliRun tiny = CliRun.of("tiny", "--arch", "qwen2", "--hidden", "32", "--layers", "1", "--heads", "4",
                "--kv-heads", "2", "--intermediate", "48", "--vocab", String.valueOf(VOCAB), "--seed", "5",
                "-o", model.toString());
        assertThat(tiny.exit()).as(tiny.err()).isZero();

        String prompt = "0,131071,65536,70000";
        CliRun gen = CliRun.of("generate", model.toString(), "--tokens", prompt, "-n", "4", "--ignore-eos", "--json");
        assertThat(gen.exit()).as(gen.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(gen.out());
        int[] generated = new int[4];
        for (int i = 0; i < 4; i++) {
            generated[i] = json.get("tokens").get(i).asInt();
        }

        StringBuilder all = new StringBuilder(prompt);
        for (int i = 0; i < 3; i++) {
            all.append(',').append(generated[i]);
        }
        Path out = tmp.resolve("logits.f32");
        CliRun logits = CliRun.of("logits", model.toString(), "--tokens", all.toString(), "--out", out.toString());
        assertThat(logits.exit()).as(logits.err()).isZero();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.capacity()).isEqualTo(7L * VOCAB * Float.BYTES);
        // rows 3..6 (after the prompt and after each fed generated token) predict the 4 new tokens
        for (int k = 0; k < 4; k++) {
            int row = 3 + k;
            int best = 0;
            float bestValue = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < VOCAB; i++) {
                float v = b.getFloat((row * VOCAB + i) * Float.BYTES);
                if (v > bestValue) {
                    bestValue = v;
                    best = i;
                }
            }
            assertThat(generated[k]).as("new token %d", k).isEqualTo(best);
        }
    }
}
