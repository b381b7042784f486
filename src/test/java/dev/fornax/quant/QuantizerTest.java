package dev.fornax.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.golden.Tables;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.InMemoryWeights.ArrayMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantizerTest {

    static ModelSpec small(Architecture a) {
        return InMemoryWeights.spec(a, 32, 2, 4, 2, 8, 48, 40, 64);
    }

    @Test
    void everyWeightIsWithinHalfAStepOfItsRowScale() {
        InMemoryWeights w = InMemoryWeights.random(small(Architecture.LLAMA), 1, 0.05);
        QuantizedModel q = Quantizer.quantize(w);
        LayerWeights lw = w.layer(1);
        checkRows((ArrayMatrix) lw.wq(), q.layers().get(1).wq());
        checkRows((ArrayMatrix) lw.wDown(), q.layers().get(1).wDown());
        checkRows(w.embedding(), q.lmHead());
    }

    private static void checkRows(ArrayMatrix f, QuantMatrix q) {
        assertThat(q.name()).startsWith(f.name());
        assertThat(q.rows()).isEqualTo(f.rows());
        assertThat(q.cols()).isEqualTo(f.cols());
        for (int r = 0; r < f.rows(); r++) {
            double max = 0;
            int maxAbsQ = 0;
            for (int c = 0; c < f.cols(); c++) {
                max = Math.max(max, Math.abs(f.data()[r * f.cols() + c]));
                maxAbsQ = Math.max(maxAbsQ, Math.abs(q.data()[r * q.cols() + c]));
            }
            double s = max / 127;
            assertThat(maxAbsQ).isEqualTo(127);
            assertThat(Math.abs(q.scale(r).value() / s - 1)).isLessThanOrEqualTo(Math.scalb(1.0, -16));
            for (int c = 0; c < f.cols(); c++) {
                double exact = f.data()[r * f.cols() + c] / s;
                assertThat(Math.abs(q.data()[r * q.cols() + c] - exact)).isLessThanOrEqualTo(0.5 + 1e-9);
            }
        }
    }

    @Test
    void roundsHalfAwayFromZeroAndKeepsZeroRows() {
        float[] row = {127f, 0.5f, -0.5f, 1.5f, -1.5f, 0f};
        byte[] dst = new byte[6];
        assertThat(Quantizer.quantizeRow(row, 6, dst, 0, "t", 0)).isEqualTo(1.0);
        assertThat(dst).containsExactly(127, 1, -1, 2, -2, 0);
        assertThat(Quantizer.quantizeRow(new float[3], 3, dst, 0, "t", 0)).isZero();
        // An exact tie, common with bf16 weights: 127·0.09765625/0.1953125 = 63.5 → 64. Dividing
        // by the rounded s = 0.1953125/127 instead gives 63.49999999999999 → 63.
        assertThat(0.09765625 / (0.1953125 / 127)).isLessThan(63.5);
        Quantizer.quantizeRow(new float[] {0.1953125f, 0.09765625f, -0.09765625f}, 3, dst, 0, "t", 0);
        assertThat(dst).startsWith(127, 64, -64);
        assertThat(Tables.Scale.of(0)).isEqualTo(new Tables.Scale(0, 0));
    }

    /**
     * quantizeRow rounds with (int) (q + 0.5) for speed; NUMERICS.md defines it as Math.round of one
     * correctly rounded double division. Random rows full of exact ties, values one ulp off a tie,
     * tiny and huge magnitudes must agree with the definition bit for bit.
     */
    @Test
    void fastRoundingEqualsTheDefinition() {
        java.util.Random rnd = new java.util.Random(7);
        int cols = 257;
        float[] row = new float[cols];
        byte[] fast = new byte[cols];
        for (int r = 0; r < 4000; r++) {
            float scale = (float) Math.scalb(1.0, rnd.nextInt(80) - 60);
            for (int c = 0; c < cols; c++) {
                float tie = (rnd.nextInt(255) - 127) + 0.5f;
                row[c] = switch (rnd.nextInt(4)) {
                    case 0 -> tie * scale;
                    case 1 -> Math.nextDown(tie) * scale;
                    case 2 -> Math.nextUp(tie) * scale;
                    default -> (float) rnd.nextGaussian() * scale;
                };
            }
            row[rnd.nextInt(cols)] = (rnd.nextBoolean() ? 127f : -127.5f) * scale;
            double s = Quantizer.quantizeRow(row, cols, fast, 0, "t", r);
            double max = 0;
            for (float w : row) {
                max = Math.max(max, Math.abs(w));
            }
            assertThat(s).isEqualTo(max / 127.0);
            for (int c = 0; c < cols; c++) {
                double q = row[c] * 127.0 / max;
                long mag = Math.min(127, Math.round(Math.abs(q)));
                assertThat(fast[c]).as("row %d col %d (%s)", r, c, row[c]).isEqualTo((byte) (q < 0 ? -mag : mag));
            }
        }
        row[200] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> Quantizer.quantizeRow(row, cols, fast, 0, "w", 9))
                .isInstanceOf(dev.fornax.FornaxException.class).hasMessage("tensor w row 9 column 200 holds -Infinity; weights must be finite");
    }

    @Test
    void tiedEmbeddingSharesRowsAndGemmaScalesOnlyTheInput() {
        ModelSpec s = small(Architecture.GEMMA);
        QuantizedModel q = Quantizer.quantize(InMemoryWeights.random(s, 2, 0.05));
        assertThat(q.tied()).isTrue();
        assertThat(q.lmHead().data()).isSameAs(q.embedding().data());
        double normaliser = (float) Math.sqrt(32);
        for (int r = 0; r < s.vocab(); r++) {
            double ratio = q.embedding().scale(r).value() / q.lmHead().scale(r).value();
            assertThat(ratio / normaliser).isCloseTo(1, org.assertj.core.data.Offset.offset(Math.scalb(1.0, -15)));
        }
        // llama: tied, no normaliser: the two scale sets are identical.
        QuantizedModel l = Quantizer.quantize(InMemoryWeights.random(small(Architecture.LLAMA), 2, 0.05));
        assertThat(l.embedding().scaleM()).containsExactly(l.lmHead().scaleM());
        assertThat(l.embedding().scaleK()).containsExactly(l.lmHead().scaleK());
        assertThat(l.weightBytes()).isEqualTo(l.matrices().stream().mapToLong(m -> m.data().length).sum()
                - l.lmHead().data().length);
    }

    @Test
    void untiedLmHeadIsItsOwnMatrix() {
        InMemoryWeights w = InMemoryWeights.random(small(Architecture.PHI3), 3, 0.05);
        QuantizedModel q = Quantizer.quantize(w);
        assertThat(q.tied()).isFalse();
        checkRows(w.lmHead(), q.lmHead());
        checkRows(w.embedding(), q.embedding());
    }

    @Test
    void biasesAreQ16AndGainsFollowTheNormForm() {
        InMemoryWeights w = InMemoryWeights.random(small(Architecture.QWEN2), 4, 0.05);
        QuantizedModel q = Quantizer.quantize(w);
        float[] bk = w.layer(0).bk();
        int[] qbk = q.layers().get(0).bk();
        for (int i = 0; i < bk.length; i++) {
            assertThat(qbk[i]).isEqualTo(Math.round(bk[i] * 65536.0));
        }
        assertThat(q.layers().get(0).attnNorm().g()).containsExactly(Tables.Gain.of(w.layer(0).attnNorm(), false, 32).g());
        InMemoryWeights g = InMemoryWeights.random(small(Architecture.GEMMA), 4, 0.05);
        Tables.Gain gain = Quantizer.quantize(g).finalNorm();
        assertThat(gain.g()).containsExactly(Tables.Gain.of(g.finalNorm(), true, 32).g());
        assertThat(q.layers().get(0).bq()).isNotNull();
        assertThat(Quantizer.quantize(InMemoryWeights.random(small(Architecture.LLAMA), 4, 0.05)).layers().get(0).bq()).isNull();
    }

    @Test
    void quantisingTwiceGivesTheSameBytes() {
        ModelSpec s = small(Architecture.QWEN2);
        String a = QuantizedModelStream.sha256(Quantizer.quantize(InMemoryWeights.random(s, 5, 0.05)));
        String b = QuantizedModelStream.sha256(Quantizer.quantize(InMemoryWeights.random(s, 5, 0.05)));
        String c = QuantizedModelStream.sha256(Quantizer.quantize(InMemoryWeights.random(s, 6, 0.05)));
        try (dev.fornax.engine.Parallel one = new dev.fornax.engine.Parallel(1)) {
            assertThat(QuantizedModelStream.sha256(Quantizer.quantize(InMemoryWeights.random(s, 5, 0.05), 64, one)))
                    .isEqualTo(a);
        }
        assertThat(a).isEqualTo(b).isNotEqualTo(c).hasSize(64);
    }

    @Test
    void nanOrInfiniteWeightIsRefusedNamingTensorAndRow() {
        InMemoryWeights w = InMemoryWeights.random(small(Architecture.LLAMA), 7, 0.05);
        ArrayMatrix up = (ArrayMatrix) w.layer(1).wUp();
        up.data()[5 * 32 + 3] = Float.NaN;
        assertThatThrownBy(() -> Quantizer.quantize(w)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("model.layers.1.mlp.up_proj.weight").hasMessageContaining("row 5")
                .hasMessageContaining("column 3").hasMessageContaining("NaN");
        up.data()[5 * 32 + 3] = 0;
        w.finalNorm()[7] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> Quantizer.quantize(w)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("final norm element 7").hasMessageContaining("-Infinity");
    }

    @Test
    void withSeveralBadRowsTheLowestIsReportedWhateverTheThreadCount() {
        InMemoryWeights w = InMemoryWeights.random(small(Architecture.LLAMA), 7, 0.05);
        ArrayMatrix gate = (ArrayMatrix) w.layer(0).wGate();
        gate.data()[40 * 32] = Float.POSITIVE_INFINITY; // second half of the rows
        gate.data()[3 * 32 + 1] = Float.NaN; // first half
        for (int threads = 1; threads <= 3; threads++) {
            try (dev.fornax.engine.Parallel p = new dev.fornax.engine.Parallel(threads)) {
                assertThatThrownBy(() -> Quantizer.quantize(w, 64, p)).isInstanceOf(FornaxException.class)
                        .hasMessageContaining("model.layers.0.mlp.gate_proj.weight row 3 column 1");
            }
        }
    }

    @Test
    void shapeMismatchIsRefusedNamingTheTensor() {
        InMemoryWeights w = InMemoryWeights.random(small(Architecture.LLAMA), 8, 0.05);
        List<LayerWeights> layers = new ArrayList<>(w.layers());
        LayerWeights l = layers.get(0);
        ArrayMatrix bad = InMemoryWeights.matrix(new Random(1), "model.layers.0.self_attn.k_proj.weight", 8, 32, 0.1);
        layers.set(0, new LayerWeights(l.attnNorm(), l.wq(), bad, l.wv(), null, null, null, l.wo(), l.ffnNorm(),
                l.wGate(), l.wUp(), l.wDown()));
        InMemoryWeights broken = new InMemoryWeights(w.spec(), w.embedding(), w.lmHead(), w.finalNorm(), layers);
        assertThatThrownBy(() -> Quantizer.quantize(broken)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("model.layers.0.self_attn.k_proj.weight").hasMessageContaining("[8 × 32]")
                .hasMessageContaining("[16 × 32]");
    }

    @Test
    void contextMustFitTheModel() {
        InMemoryWeights w = InMemoryWeights.random(small(Architecture.LLAMA), 9, 0.05);
        assertThatThrownBy(() -> Quantizer.quantize(w, 65)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("context 65");
        QuantizedModel q = Quantizer.quantize(w, 10);
        assertThat(q.context()).isEqualTo(10);
        assertThat(q.tables().rope().cos()).hasSize(10 * 4);
    }

    @Test
    void accumulatorBoundsRefuseModelsThatWouldOverflow48Bits() {
        AccumulatorBounds.check(InMemoryWeights.spec(Architecture.LLAMA, 131_072, 1, 8, 8, 128, 1000, 10, 262_160), 262_160);
        assertThatThrownBy(() -> AccumulatorBounds.check(
                InMemoryWeights.spec(Architecture.LLAMA, 131_104, 1, 8, 8, 128, 1000, 10, 100), 100))
                .isInstanceOf(FornaxException.class).hasMessageContaining("RMSNorm").hasMessageContaining("hidden 131104");
        assertThatThrownBy(() -> AccumulatorBounds.check(
                InMemoryWeights.spec(Architecture.LLAMA, 64, 1, 8, 8, 8, 64, 10, 300_000), 262_161))
                .isInstanceOf(FornaxException.class).hasMessageContaining("context 262161");
        assertThatThrownBy(() -> AccumulatorBounds.check(
                InMemoryWeights.spec(Architecture.LLAMA, 64, 1, 1, 1, 64, 34_000_000, 10, 100), 100))
                .isInstanceOf(FornaxException.class).hasMessageContaining("down_proj");
        // Widths the RTL can size from: a 64-wide matmul needs 7 + 15 + 6 + sign bits.
        var bounds = AccumulatorBounds.of(InMemoryWeights.spec(Architecture.LLAMA, 64, 1, 8, 4, 8, 172, 512, 512), 512);
        assertThat(bounds.get(0).maxAbs()).isEqualTo(64L * 127 * 32767);
        assertThat(bounds.get(0).bits()).isEqualTo(29);
    }
}
