package dev.fornax.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled stories260K (llama2.c checkpoint, interleaved-pair RoPE rows permuted on load)
 * against llama2.c's run.c itself (reference logits in test resources llama2c-runc/, provenance in
 * its README), and its HF-layout copy in ../shared against the checkpoint.
 */
class Llama2cReferenceTest {
    static final Path BUNDLED = Path.of("models/stories260K/stories260K.bin");

    @ParameterizedTest
    @ValueSource(strings = {"seq1", "seq2", "seq3", "seq4", "seq5"})
    void teacherForcedLogitsMatchRunC(String seq) throws Exception {
        Path dir = resources();
        int[] ids = HfFixturesTest.readIds(dir.resolve(seq + ".ids.txt"));
        float[] expected = HfFixturesTest.readFloats(dir.resolve(seq + ".logits.f32"));
        try (LoadedModel model = ModelLoader.load(BUNDLED, null); FloatEngine engine = FloatEngine.open(model.weights())) {
            assertThat(maxAbsDiff(TeacherForcing.logits(engine, ids), expected)).as(seq).isLessThanOrEqualTo(1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seq1", "seq2", "seq3", "seq4", "seq5"})
    void theHfCopyGivesTheSameLogitsAsTheCheckpoint(String seq) throws Exception {
        Path hf = Shared.require("models/stories260K-hf");
        int[] ids = HfFixturesTest.readIds(resources().resolve(seq + ".ids.txt"));
        float[][] fromBin;
        try (LoadedModel model = ModelLoader.load(BUNDLED, null); FloatEngine engine = FloatEngine.open(model.weights())) {
            fromBin = TeacherForcing.logits(engine, ids);
        }
        try (LoadedModel model = ModelLoader.load(hf, null); FloatEngine engine = FloatEngine.open(model.weights())) {
            float[][] fromHf = TeacherForcing.logits(engine, ids);
            float[] flat = new float[fromBin.length * fromBin[0].length];
            for (int t = 0; t < fromBin.length; t++) {
                System.arraycopy(fromBin[t], 0, flat, t * fromBin[t].length, fromBin[t].length);
            }
            assertThat(maxAbsDiff(fromHf, flat)).as(seq).isLessThanOrEqualTo(1e-5);
        }
    }

    static double maxAbsDiff(float[][] actual, float[] expected) {
        int vocab = actual[0].length;
        assertThat(expected).hasSize(actual.length * vocab);
        double worst = 0;
        for (int t = 0; t < actual.length; t++) {
            for (int i = 0; i < vocab; i++) {
                double d = Math.abs(actual[t][i] - expected[t * vocab + i]);
                worst = d > worst || Double.isNaN(d) ? d : worst;
            }
        }
        return worst;
    }

    private static Path resources() throws URISyntaxException, IOException {
        return Path.of(Llama2cReferenceTest.class.getResource("llama2c-runc/README.md").toURI()).getParent();
    }
}
