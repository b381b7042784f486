package dev.fornax.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.ir.RopeScaling;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The KV-cached float32 engine against a float64 whole-sequence transcription, on random weights. */
class FloatEngineTest {
    private static final int[] TOKENS = {1, 7, 49, 0, 23, 23, 5, 18, 33, 2, 41, 12, 9, 30, 30, 30, 17, 48, 3, 26};

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("llama GQA 4/2", RandomModel.spec(Architecture.LLAMA, 4, 2, 6, new RopeScaling.None())),
                Arguments.of("llama3 rope", RandomModel.spec(Architecture.LLAMA, 4, 1, 8,
                        new RopeScaling.Llama3(8, 1, 4, 8192))),
                Arguments.of("linear rope", RandomModel.spec(Architecture.LLAMA, 2, 2, 12, new RopeScaling.Linear(4))),
                Arguments.of("qwen2 biases", RandomModel.spec(Architecture.QWEN2, 6, 2, 4, new RopeScaling.None())),
                Arguments.of("phi3 untied", RandomModel.spec(Architecture.PHI3, 4, 4, 6, new RopeScaling.None())),
                Arguments.of("gemma head_dim 10 != 24/4", RandomModel.spec(Architecture.GEMMA, 4, 1, 10,
                        new RopeScaling.None())),
                Arguments.of("qwen3 q/k norms, head_dim 12 != 24/4", RandomModel.spec(Architecture.QWEN3, 4, 2, 12,
                        new RopeScaling.None())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyRowMatchesTheFloat64WholeSequenceForward(String name, ModelSpec spec) {
        RandomModel model = RandomModel.create(spec, 42);
        double[][] expected = DoubleReference.logits(model, TOKENS);
        try (FloatEngine engine = new FloatEngine(model, FloatEngine.WeightMode.CACHED, new Parallel(2))) {
            float[][] actual = TeacherForcing.logits(engine, TOKENS);
            for (int t = 0; t < TOKENS.length; t++) {
                for (int i = 0; i < spec.vocab(); i++) {
                    assertThat((double) actual[t][i]).as("%s row %d logit %d", name, t, i)
                            .isCloseTo(expected[t][i], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void cachedStreamingAndThreadCountsGiveIdenticalBits(String name, ModelSpec spec) {
        RandomModel model = RandomModel.create(spec, 7);
        float[][] reference;
        try (FloatEngine e = new FloatEngine(model, FloatEngine.WeightMode.CACHED, new Parallel(1))) {
            reference = TeacherForcing.logits(e, TOKENS);
        }
        try (FloatEngine streaming = new FloatEngine(model, FloatEngine.WeightMode.STREAMING, new Parallel(2));
                FloatEngine threaded = new FloatEngine(model, FloatEngine.WeightMode.CACHED, new Parallel(3))) {
            assertThat(TeacherForcing.logits(streaming, TOKENS)).isDeepEqualTo(reference);
            assertThat(TeacherForcing.logits(threaded, TOKENS)).isDeepEqualTo(reference);
            // reset() starts over: a second pass reproduces the first.
            assertThat(TeacherForcing.logits(threaded, TOKENS)).isDeepEqualTo(reference);
        }
    }

    @Test
    void bf16WeightsAreCachedAtTwoBytesWithBitIdenticalResults() {
        ModelSpec spec = RandomModel.spec(Architecture.QWEN2, 6, 2, 4, new RopeScaling.None());
        RandomModel bf16 = RandomModel.createBf16(spec, 3);
        Parallel p = new Parallel(2);
        assertThat(((CachedMatVec) MatVec.cached(bf16.layer(0).wq(), p)).compact()).isTrue();
        assertThat(((CachedMatVec) MatVec.cached(RandomModel.create(spec, 3).layer(0).wq(), p)).compact()).isFalse();
        p.close();
        try (FloatEngine cached = new FloatEngine(bf16, FloatEngine.WeightMode.CACHED, new Parallel(2));
                FloatEngine streaming = new FloatEngine(bf16, FloatEngine.WeightMode.STREAMING, new Parallel(2))) {
            assertThat(TeacherForcing.logits(cached, TOKENS)).isDeepEqualTo(TeacherForcing.logits(streaming, TOKENS));
        }
    }

    @Test
    void rejectsTokensOutsideTheVocabularyAndPositionsBeyondTheContext() {
        ModelSpec spec = RandomModel.spec(Architecture.LLAMA, 4, 2, 6, new RopeScaling.None());
        try (FloatEngine e = new FloatEngine(RandomModel.create(spec, 1), FloatEngine.WeightMode.AUTO, new Parallel(1))) {
            assertThatThrownBy(() -> e.step(spec.vocab())).isInstanceOf(FornaxException.class)
                    .hasMessageContaining("token id 160 is outside the vocabulary [0, 160)");
            assertThatThrownBy(() -> e.step(-1)).isInstanceOf(FornaxException.class);
            for (int i = 0; i < spec.contextLength(); i++) {
                e.step(i % spec.vocab());
            }
            assertThat(e.position()).isEqualTo(spec.contextLength());
            assertThatThrownBy(() -> e.step(1)).isInstanceOf(FornaxException.class)
                    .hasMessageContaining("beyond the model's context length 64");
        }
    }

    @Test
    void aTensorOfTheWrongShapeIsNamedInTheError() {
        ModelSpec spec = RandomModel.spec(Architecture.LLAMA, 4, 2, 6, new RopeScaling.None());
        RandomModel good = RandomModel.create(spec, 1);
        ModelWeights bad = new ModelWeights() {
            @Override
            public ModelSpec spec() {
                return spec;
            }

            @Override
            public Matrix embedding() {
                return good.embedding();
            }

            @Override
            public Matrix lmHead() {
                return good.lmHead();
            }

            @Override
            public float[] finalNorm() {
                return good.finalNorm();
            }

            @Override
            public LayerWeights layer(int index) {
                LayerWeights l = good.layer(index);
                // k_proj given the shape of q_proj: [H·hd × D] instead of [KV·hd × D]
                return new LayerWeights(l.attnNorm(), l.wq(), l.wq(), l.wv(), l.bq(), l.bk(), l.bv(), l.wo(),
                        l.ffnNorm(), l.wGate(), l.wUp(), l.wDown());
            }

            @Override
            public void close() {}
        };
        assertThatThrownBy(() -> new FloatEngine(bad, FloatEngine.WeightMode.CACHED, new Parallel(1)))
                .isInstanceOf(FornaxException.class)
                .hasMessage("tensor layers.0.q_proj has shape [24 × 24], the model description needs [12 × 24]");
    }
}
