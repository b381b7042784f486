package dev.fornax.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The float engine against HF transformers v4.44.2 itself: ../shared/fixtures/hf holds tiny
 * llama / qwen2 / phi3 / gemma checkpoints (bf16, f16, f32, sharded) with the logits of every
 * position and 16 greedy tokens computed by the unmodified modeling code (see its README).
 * Every directory with a config.json is checked: every logits row of every sequence within 1e-4,
 * and greedy16 exactly (no EOS stop).
 */
class HfFixturesTest {
    static final double TOLERANCE = 1e-4;

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesTransformers() throws IOException {
        Path root = Shared.require("fixtures/hf");
        List<Path> models;
        try (Stream<Path> s = Files.walk(root, 2)) {
            models = s.filter(p -> Files.isRegularFile(p.resolve("config.json"))).sorted().toList();
        }
        // llama, gemma, gemma/f32, phi3, phi3/sharded, qwen2, qwen2/f16
        assertThat(models).hasSizeGreaterThanOrEqualTo(7);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : models) {
            String name = root.relativize(dir).toString();
            List<Path> seqs;
            try (Stream<Path> s = Files.list(dir.resolve("ref"))) {
                seqs = s.filter(p -> p.getFileName().toString().endsWith(".ids.txt")).sorted().toList();
            }
            assertThat(seqs).as(name + " sequences").isNotEmpty();
            for (Path ids : seqs) {
                String seq = ids.getFileName().toString().replace(".ids.txt", "");
                tests.add(dynamicTest(name + " " + seq, () -> check(dir, seq)));
            }
        }
        return tests.stream();
    }

    private static void check(Path dir, String seq) throws IOException {
        Path ref = dir.resolve("ref");
        int[] ids = readIds(ref.resolve(seq + ".ids.txt"));
        int[] greedy = readIds(ref.resolve(seq + ".greedy16.txt"));
        try (LoadedModel model = ModelLoader.load(dir, null); FloatEngine engine = FloatEngine.open(model.weights())) {
            int vocab = engine.spec().vocab();
            float[] expected = readFloats(ref.resolve(seq + ".logits.f32"));
            assertThat(expected).hasSize(ids.length * vocab);
            float[][] actual = TeacherForcing.logits(engine, ids);
            double worst = 0;
            int worstRow = -1;
            for (int t = 0; t < ids.length; t++) {
                for (int i = 0; i < vocab; i++) {
                    double d = Math.abs(actual[t][i] - expected[t * vocab + i]);
                    if (!(d <= worst)) {
                        worst = d;
                        worstRow = t;
                    }
                }
            }
            assertThat(worst).as("%s %s: max |Δlogit| (worst at row %d)", dir, seq, worstRow)
                    .isLessThanOrEqualTo(TOLERANCE);

            GenerationResult r = Generator.greedy(engine, ids, greedy.length, true, t -> {});
            assertThat(r.tokens()).as("%s %s greedy16", dir, seq).containsExactly(greedy);
        }
    }

    static int[] readIds(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        return Arrays.stream(text.split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    static float[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(out);
        return out;
    }
}
