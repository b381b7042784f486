package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.InMemoryWeights;
import dev.fornax.quant.QuantizedModel;
import dev.fornax.quant.Quantizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Int8EngineTest {
    static final int[] TOKENS = {1, 17, 5, 33, 0, 39, 17, 17, 8};

    static QuantizedModel model(Architecture a, int context) {
        ModelSpec s = InMemoryWeights.spec(a, 64, 2, 4, 2, 16, 96, 40, context);
        return Quantizer.quantize(InMemoryWeights.random(s, 77, 0.08));
    }

    static List<int[]> run(Int8Engine e, int[] tokens) {
        List<int[]> rows = new ArrayList<>();
        e.reset();
        for (int t : tokens) {
            rows.add(e.stepRaw(t).clone());
        }
        return rows;
    }

    @Test
    void logitsDoNotDependOnTheThreadCount() {
        for (Architecture a : Architecture.values()) {
            QuantizedModel q = model(a, 32);
            try (Int8Engine one = new Int8Engine(q, 1); Int8Engine two = new Int8Engine(q, 2);
                    Int8Engine three = new Int8Engine(q, 3)) {
                List<int[]> r1 = run(one, TOKENS);
                List<int[]> r2 = run(two, TOKENS);
                List<int[]> r3 = run(three, TOKENS);
                for (int i = 0; i < TOKENS.length; i++) {
                    assertThat(r2.get(i)).as("%s row %d", a, i).containsExactly(r1.get(i));
                    assertThat(r3.get(i)).as("%s row %d", a, i).containsExactly(r1.get(i));
                }
            }
        }
    }

    @Test
    void resetStartsTheSameSequenceAgainAndStepDequantises() {
        try (Int8Engine e = new Int8Engine(model(Architecture.QWEN2, 32), 2)) {
            List<int[]> a = run(e, TOKENS);
            assertThat(e.position()).isEqualTo(TOKENS.length);
            List<int[]> b = run(e, TOKENS);
            for (int i = 0; i < TOKENS.length; i++) {
                assertThat(b.get(i)).containsExactly(a.get(i));
            }
            e.reset();
            float[] f = e.step(TOKENS[0]);
            int[] raw = e.rawLogits();
            assertThat(raw).containsExactly(a.get(0));
            for (int i = 0; i < raw.length; i++) {
                assertThat(f[i]).isEqualTo(raw[i] / 65536f);
            }
        }
    }

    @Test
    void traceReportsEveryOpInProgramOrderAndTheLogits() {
        QuantizedModel q = model(Architecture.GEMMA, 32);
        ModelSpec s = q.spec();
        try (Int8Engine e = new Int8Engine(q, 1)) {
            List<String> seen = new ArrayList<>();
            int[][] lastLogits = new int[1][];
            e.setTrace((layer, op, values, exps) -> {
                seen.add(layer + ":" + op.key());
                assertThat(values.length % exps.length).isZero();
                if (op == TraceOp.Q_ROPE) {
                    assertThat(exps).hasSize(s.heads());
                    assertThat(values).hasSize(s.heads() * s.headDim());
                }
                if (op == TraceOp.LOGITS) {
                    lastLogits[0] = values.clone();
                    assertThat(exps).containsExactly(-16);
                }
            });
            e.reset();
            int[] raw = e.stepRaw(3).clone();
            assertThat(lastLogits[0]).containsExactly(raw);
            List<String> expected = new ArrayList<>();
            expected.add("-1:embed");
            for (int l = 0; l < s.layers(); l++) {
                for (TraceOp op : TraceOp.values()) {
                    if (op != TraceOp.EMBED && op != TraceOp.FINAL_NORM && op != TraceOp.LOGITS) {
                        expected.add(l + ":" + op.key());
                    }
                }
            }
            expected.add(s.layers() + ":final_norm");
            expected.add(s.layers() + ":logits");
            assertThat(seen).containsExactlyElementsOf(expected);
            e.setTrace(null);
            e.reset();
            assertThat(e.stepRaw(3)).containsExactly(raw);
        }
    }

    @Test
    void refusesTokensOutsideTheVocabularyAndPositionsBeyondTheContext() {
        try (Int8Engine e = new Int8Engine(model(Architecture.LLAMA, 3), 1)) {
            assertThatThrownBy(() -> e.step(40)).isInstanceOf(FornaxException.class).hasMessageContaining("token id 40");
            assertThatThrownBy(() -> e.step(-1)).isInstanceOf(FornaxException.class).hasMessageContaining("token id -1");
            e.step(1);
            e.step(2);
            e.step(3);
            assertThatThrownBy(() -> e.step(4)).isInstanceOf(FornaxException.class)
                    .hasMessageContaining("position 3").hasMessageContaining("context of 3");
        }
    }

    @Test
    void theKvCacheGrowsToTheFullContext() {
        // The cache starts at 64 positions and doubles; run past several growths to the last position.
        QuantizedModel q = model(Architecture.PHI3, 300);
        try (Int8Engine e = new Int8Engine(q, 2)) {
            int[] first = null;
            for (int p = 0; p < 300; p++) {
                int[] raw = e.stepRaw((p * 7) % 40);
                if (p == 0) {
                    first = raw.clone();
                }
                for (int v : raw) {
                    assertThat(v).isNotEqualTo(Integer.MIN_VALUE).isNotEqualTo(Integer.MAX_VALUE);
                }
            }
            assertThat(e.position()).isEqualTo(300);
            e.reset();
            assertThat(e.stepRaw(0)).containsExactly(first);
        }
    }
}
