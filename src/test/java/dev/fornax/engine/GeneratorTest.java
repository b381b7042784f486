package dev.fornax.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.RopeScaling;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    /** vocab 160, context 64, EOS id 2 (see RandomModel.spec). */
    private static final ModelSpec SPEC = RandomModel.spec(Architecture.LLAMA, 4, 2, 6, new RopeScaling.None());

    /** An engine whose logits after each consumed token put their maximum on {@code next(token)}. */
    private static final class ScriptedEngine implements Engine {
        final List<Integer> consumed = new ArrayList<>();
        final java.util.function.IntUnaryOperator next;

        ScriptedEngine(java.util.function.IntUnaryOperator next) {
            this.next = next;
        }

        @Override
        public ModelSpec spec() {
            return SPEC;
        }

        @Override
        public void reset() {
            consumed.clear();
        }

        @Override
        public int position() {
            return consumed.size();
        }

        @Override
        public float[] step(int token) {
            consumed.add(token);
            float[] logits = new float[SPEC.vocab()];
            logits[next.applyAsInt(token)] = 1f;
            return logits;
        }
    }

    @Test
    void argmaxTiesGoToTheLowestIndex() {
        assertThat(Generator.argmax(new float[] {0f, 3f, 1f, 3f, 3f}, 0)).isEqualTo(1);
        assertThat(Generator.argmax(new float[] {-5f, -5f}, 0)).isEqualTo(0);
        float ninf = Float.NEGATIVE_INFINITY;
        assertThat(Generator.argmax(new float[] {ninf, ninf, -1e30f}, 0)).isEqualTo(2);
        assertThatThrownBy(() -> Generator.argmax(new float[] {1f, Float.NaN}, 7))
                .isInstanceOf(FornaxException.class).hasMessageContaining("logit 1 at position 7 is NaN");
    }

    @Test
    void stopsAtEosAndKeepsTheEosToken() {
        // 10 -> 11 -> 12 -> 2 (EOS)
        ScriptedEngine e = new ScriptedEngine(t -> t == 12 ? 2 : t + 1);
        List<Integer> streamed = new ArrayList<>();
        GenerationResult r = Generator.greedy(e, new int[] {1, 9}, 20, false, streamed::add);
        assertThat(r.tokens()).containsExactly(10, 11, 12, 2);
        assertThat(r.stopReason()).isEqualTo(StopReason.EOS);
        assertThat(streamed).containsExactly(10, 11, 12, 2);
        assertThat(r.promptTokens()).containsExactly(1, 9);
        // the EOS token is never fed back
        assertThat(e.consumed).containsExactly(1, 9, 10, 11, 12);
    }

    @Test
    void ignoreEosRunsTheFullBudgetWithoutConsumingTheLastToken() {
        ScriptedEngine e = new ScriptedEngine(t -> 2);
        GenerationResult r = Generator.greedy(e, new int[] {5}, 4, true, t -> {});
        assertThat(r.tokens()).containsExactly(2, 2, 2, 2);
        assertThat(r.stopReason()).isEqualTo(StopReason.LENGTH);
        assertThat(e.consumed).containsExactly(5, 2, 2, 2);
    }

    @Test
    void zeroNewTokensConsumesThePromptAndReturnsNothing() {
        ScriptedEngine e = new ScriptedEngine(t -> 3);
        GenerationResult r = Generator.greedy(e, new int[] {5, 6}, 0, false, t -> {});
        assertThat(r.tokens()).isEmpty();
        assertThat(r.stopReason()).isEqualTo(StopReason.LENGTH);
    }

    @Test
    void promptPlusNewTokensBeyondTheContextFailsBeforeRunning() {
        ScriptedEngine e = new ScriptedEngine(t -> 3);
        int[] prompt = new int[10];
        assertThat(Generator.greedy(e, prompt, 54, false, t -> {}).tokens()).hasSize(54); // exactly 64 fits
        e.reset();
        assertThatThrownBy(() -> Generator.greedy(e, prompt, 55, false, t -> {}))
                .isInstanceOf(FornaxException.class)
                .hasMessage("prompt (10 tokens) + 55 new tokens = 65 exceeds the model's context length of 64 positions");
        assertThat(e.consumed).isEmpty();
    }

    @Test
    void badPromptsAreRejectedBeforeRunning() {
        ScriptedEngine e = new ScriptedEngine(t -> 3);
        assertThatThrownBy(() -> Generator.greedy(e, new int[0], 5, false, t -> {}))
                .isInstanceOf(FornaxException.class).hasMessage("the prompt has no tokens");
        assertThatThrownBy(() -> Generator.greedy(e, new int[] {1, 160}, 5, false, t -> {}))
                .isInstanceOf(FornaxException.class)
                .hasMessage("token 160 (position 1 of the prompt) is outside the vocabulary [0, 160)");
        assertThatThrownBy(() -> Generator.greedy(e, new int[] {1}, -1, false, t -> {}))
                .isInstanceOf(FornaxException.class);
        assertThat(e.consumed).isEmpty();
    }

    @Test
    void teacherForcingRowIIsTheOutputAfterTokenI() {
        ScriptedEngine e = new ScriptedEngine(t -> (t * 7) % 160);
        float[][] rows = TeacherForcing.logits(e, new int[] {3, 4, 5});
        assertThat(rows).hasNumberOfRows(3);
        assertThat(Generator.argmax(rows[0], 0)).isEqualTo(21);
        assertThat(Generator.argmax(rows[2], 2)).isEqualTo(35);
        assertThatThrownBy(() -> TeacherForcing.logits(e, new int[65]))
                .isInstanceOf(FornaxException.class).hasMessageContaining("exceed the model's context length of 64");
    }

    @Test
    void unknownEngineNamesListTheKnownOnes() {
        assertThat(Engines.names()).contains("float");
        assertThatThrownBy(() -> Engines.factory("gpu"))
                .isInstanceOf(FornaxException.class)
                .hasMessage("unknown engine 'gpu'; known engines: " + String.join(", ", Engines.names()));
    }
}
