package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.engine.FloatEngine;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.InMemoryWeights;
import dev.fornax.quant.InMemoryWeights.ArrayMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Outlier channels, as real LLMs have them: a tiny llama whose hidden channels 5, 17 and 42 are
 * scaled by 50, 75 and 100 (built here, no file; untied lm_head). Each variant moves the outliers to another place
 * in the dataflow, exercising the BFP exponents, the symmetric clamps and the saturation paths:
 * the int8 golden model must stay close to the float engine on the same weights.
 */
class OutlierQualityTest {
    static final int[] CHANNELS = {5, 17, 42};
    static final float[] FACTORS = {50, 75, 100};

    enum Variant {
        /** No outliers: the baseline. */
        NONE(w -> {}),
        /** Embedding columns scaled: the residual stream carries the outliers from the first token. */
        RESIDUAL(w -> scaleColumns(w.embedding(), 1)),
        /** RMSNorm gains of those channels scaled: every matmul input has them. */
        NORM_GAIN(w -> {
            for (LayerWeights l : w.layers()) {
                scale(l.attnNorm(), 1);
                scale(l.ffnNorm(), 1);
            }
        }),
        /**
         * "Massive activations": down_proj rows of the channels scaled (the MLP writes huge values into
         * the residual, layer after layer) with the norm gains divided so the normalised signal stays
         * sane, as trained models do.
         */
        MASSIVE(w -> {
            for (LayerWeights l : w.layers()) {
                scaleRows((ArrayMatrix) l.wDown());
                scale(l.attnNorm(), -1);
                scale(l.ffnNorm(), -1);
            }
            scale(w.finalNorm(), -1);
            scaleColumns(w.embedding(), 1);
        });

        final Consumer<InMemoryWeights> inject;

        Variant(Consumer<InMemoryWeights> inject) {
            this.inject = inject;
        }
    }

    static void scale(float[] v, int sign) {
        for (int j = 0; j < CHANNELS.length; j++) {
            v[CHANNELS[j]] = sign > 0 ? v[CHANNELS[j]] * FACTORS[j] : v[CHANNELS[j]] / FACTORS[j];
        }
    }

    static void scaleColumns(ArrayMatrix m, int sign) {
        for (int r = 0; r < m.rows(); r++) {
            for (int j = 0; j < CHANNELS.length; j++) {
                m.data()[r * m.cols() + CHANNELS[j]] *= sign > 0 ? FACTORS[j] : 1 / FACTORS[j];
            }
        }
    }

    static void scaleRows(ArrayMatrix m) {
        for (int j = 0; j < CHANNELS.length; j++) {
            for (int c = 0; c < m.cols(); c++) {
                m.data()[CHANNELS[j] * m.cols() + c] *= FACTORS[j];
            }
        }
    }

    static List<int[]> sequences(int vocab) {
        Random r = new Random(12);
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            int[] ids = new int[48];
            ids[0] = 1;
            for (int i = 1; i < ids.length; i++) {
                ids[i] = r.nextInt(vocab);
            }
            out.add(ids);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void int8StaysCloseToFloatWithOutlierChannels(Variant variant) {
        ModelSpec tied = InMemoryWeights.spec(Architecture.LLAMA, 64, 3, 4, 2, 16, 128, 96, 64);
        // Untied, so that scaled embedding columns do not scale the logits themselves.
        ModelSpec spec = new ModelSpec(tied.architecture(), 64, 3, 4, 2, 16, 128, 96, 64, tied.normEps(),
                tied.normForm(), tied.rope(), tied.activation(), false, false, false, 1, List.of(2));
        InMemoryWeights w = InMemoryWeights.random(spec, 31, 0.1);
        variant.inject.accept(w);
        List<int[]> seqs = sequences(spec.vocab());
        try (FloatEngine f = QualityFixtures.floatEngine(w); Int8Engine q = QualityFixtures.int8Engine(w)) {
            QualityReport r = Int8VsFloat.compare(f, q, seqs);
            QualityReport weights = QualityFixtures.weightsOnly(w, q.model(), f, seqs);
            QualityReport act;
            try (FloatEngine dq = QualityFixtures.floatEngine(new DequantizedWeights(w, q.model()))) {
                act = Int8VsFloat.compare(dq, q, seqs);
            }
            System.out.println(QualityFixtures.line("outliers " + variant, r));
            System.out.println(QualityFixtures.line("  weights only", weights));
            System.out.println(QualityFixtures.line("  activations only", act));
            // The integer activations add almost nothing to what the INT8 weights cost ...
            assertThat(Math.abs(r.cosineMean() - weights.cosineMean())).as("cosine mean vs weights only")
                    .isLessThan(1e-3);
            assertThat(Math.abs(r.top1Agreement() - weights.top1Agreement())).as("top-1 vs weights only")
                    .isLessThanOrEqualTo(0.02);
            // ... measured directly against float activations on the same INT8 weights.
            assertThat(act.top1Agreement()).as("activations-only top-1").isGreaterThanOrEqualTo(0.98);
            assertThat(act.cosineMin()).as("activations-only cosine min").isGreaterThan(0.998);
            assertThat(act.maxAbsDelta()).as("activations-only max |Δ|").isLessThan(0.15);
            assertThat(act.confidentMatches()).isEqualTo(act.confidentPositions());
        }
    }

    /**
     * A residual channel driven far beyond the Q16 range (|h| > 32768) by layer 0's down_proj: the
     * matmul output and the residual add saturate and the next RMSNorm takes the shift-17 path,
     * instead of wrapping; the channel keeps the float sign and the other channels stay close to
     * float. (Only one row of down_proj is scaled, so its INT8 rows stay as good as the others'.)
     */
    @org.junit.jupiter.api.Test
    void saturatedResidualChannelKeepsItsSignAndSparesTheOthers() {
        ModelSpec spec = InMemoryWeights.spec(Architecture.LLAMA, 64, 2, 4, 2, 16, 128, 96, 16);
        InMemoryWeights w = InMemoryWeights.random(spec, 32, 0.1);
        ArrayMatrix down = (ArrayMatrix) w.layer(0).wDown();
        for (int c = 0; c < down.cols(); c++) {
            down.data()[5 * down.cols() + c] *= 1e6f;
        }
        int[] ids = {1, 2, 3, 4, 5, 6, 7, 8};
        try (FloatEngine f = QualityFixtures.floatEngine(w); Int8Engine q = QualityFixtures.int8Engine(w)) {
            List<float[]> floatHidden = new ArrayList<>();
            List<int[]> intHidden = new ArrayList<>();
            f.setHiddenStates((layer, h) -> floatHidden.add(h.clone()));
            q.setTrace((layer, op, v, e) -> {
                if (op == TraceOp.RESID) {
                    intHidden.add(v.clone());
                }
            });
            for (int t : ids) {
                f.step(t);
                float[] logits = q.step(t);
                for (float x : logits) {
                    assertThat(Float.isFinite(x)).isTrue();
                }
            }
            assertThat(intHidden).hasSameSizeAs(floatHidden).hasSize(ids.length * 2);
            double worst = 1;
            for (int i = 0; i < intHidden.size(); i++) {
                int[] h = intHidden.get(i);
                float[] fh = floatHidden.get(i);
                assertThat(Math.abs(fh[5])).as("premise: float channel 5 beyond Q16, row %d", i).isGreaterThan(40_000f);
                // At the rail (a later residual add may pull it back by the size of that add).
                assertThat(Math.abs((long) h[5])).as("saturated channel").isGreaterThan((long) (0.99 * Integer.MAX_VALUE));
                assertThat(Math.signum(h[5])).isEqualTo(Math.signum(fh[5]));
                double dot = 0;
                double a = 0;
                double b = 0;
                for (int c = 0; c < 64; c++) {
                    if (c != 5) {
                        dot += fh[c] * (h[c] / 65536.0);
                        a += (double) fh[c] * fh[c];
                        b += (h[c] / 65536.0) * (h[c] / 65536.0);
                    }
                }
                assertThat(dot / Math.sqrt(a * b)).as("cosine of the other channels, row %d", i).isGreaterThan(0.99);
                worst = Math.min(worst, dot / Math.sqrt(a * b));
            }
            System.out.printf("saturated channel: other channels' hidden cosine min %.6f%n", worst);
        }
    }
}
