package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.engine.FloatEngine;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.Dtype;
import dev.fornax.model.ModelLoader;
import dev.fornax.model.TinyModel;
import dev.fornax.model.TinyWriter;
import dev.fornax.quant.Quantizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qwen3's per-head q/k RMSNorm in the integer model: {@link IntOps#headRmsnorm} against the float
 * RMSNorm of each head (the NUMERICS.md RMSNorm bound plus the half BFP14 step of the final
 * requantisation), and the whole golden model against the float engine (itself checked against a
 * float64 transcription of modeling_qwen3, engine.Qwen3EngineTest) on tiny qwen3 checkpoints.
 */
class Qwen3GoldenTest {
    private static final int[] RSQRT = Tables.rsqrt();

    @Test
    void eachHeadIsNormalisedWithinTheRmsNormBoundPlusHalfABfp14Step() {
        Random rnd = new Random(17);
        for (int hd : new int[] {16, 64, 128}) {
            for (double sigma : new double[] {1e-3, 0.05, 1, 30, 2000}) {
                for (int trial = 0; trial < 6; trial++) {
                    int heads = 3;
                    int[] q = new int[heads * hd];
                    for (int i = 0; i < q.length; i++) {
                        // heads of very different scales: each must be normalised on its own
                        double scale = sigma * (1 << (4 * (i / hd)));
                        q[i] = IntOps.sat32(Math.round(rnd.nextGaussian() * scale * 65536));
                    }
                    float[] w = new float[hd];
                    for (int i = 0; i < hd; i++) {
                        w[i] = (float) (1 + 0.3 * rnd.nextGaussian());
                    }
                    double eps = 1e-6;
                    Tables.Gain g = Tables.Gain.of(w, false, hd);
                    int[] out = new int[heads * hd];
                    for (int h = 0; h < heads; h++) {
                        int e = IntOps.headRmsnorm(q, h * hd, hd, g.g(), g.gk(), Tables.eps(hd, eps), RSQRT, out, h * hd);
                        double[] x = new double[hd];
                        double ss = 0;
                        double xMax = 0;
                        double gMax = 0;
                        for (int i = 0; i < hd; i++) {
                            x[i] = q[h * hd + i] / 65536.0;
                            ss += x[i] * x[i];
                            xMax = Math.max(xMax, Math.abs(x[i]));
                            gMax = Math.max(gMax, Math.abs(w[i]));
                        }
                        double r = 1 / Math.sqrt(ss / hd + eps);
                        int[] m = new int[hd];
                        IntOps.toBfp(q, h * hd, hd, IntOps.MANT_BITS, m, 0);
                        int mMax = Arrays.stream(m).map(Math::abs).max().orElse(0);
                        double bound = xMax * gMax * r * (Math.scalb(1.0, -12) + 1.0 / mMax) + Math.scalb(1.0, e - 1);
                        for (int i = 0; i < hd; i++) {
                            assertThat(Math.abs(out[h * hd + i])).isLessThan(1 << IntOps.HEAD_MANT_BITS);
                            double err = Math.abs(Math.scalb((double) out[h * hd + i], e) - w[i] * x[i] * r);
                            assertThat(err).as("hd %d sigma %g head %d element %d", hd, sigma, h, i)
                                    .isLessThanOrEqualTo(bound);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theGoldenModelFollowsTheFloatEngineOnTinyQwen3(@TempDir Path tmp) {
        Random rnd = new Random(4);
        for (long seed : new long[] {1, 2}) {
            TinyModel shape = TinyModel.defaults(Architecture.QWEN3).with(null, 2, 4, 2, 32, 160, 256, null);
            Path dir = TinyWriter.write(shape, tmp.resolve("q3-" + seed), seed, Dtype.BF16, 1, false).dir();
            List<int[]> seqs = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                seqs.add(rnd.ints(40, 0, 256).toArray());
            }
            try (ModelWeights w = ModelLoader.loadWeights(dir);
                    FloatEngine f = QualityFixtures.floatEngine(w);
                    Int8Engine q = QualityFixtures.int8Engine(w)) {
                assertThat(q.model().layers().get(0).qNorm().g()).hasSize(32);
                QualityReport r = Int8VsFloat.compare(f, q, seqs);
                System.out.println(QualityFixtures.line("tiny qwen3 seed " + seed, r));
                QualityReport act;
                try (FloatEngine dq = QualityFixtures.floatEngine(new DequantizedWeights(w, q.model()))) {
                    act = Int8VsFloat.compare(dq, q, seqs);
                }
                System.out.println(QualityFixtures.line("tiny qwen3 seed " + seed + " activations only", act));
                assertThat(r.cosineMin()).as("cosine min").isGreaterThan(0.999);
                assertThat(r.top1Agreement()).as("top-1").isGreaterThan(0.95);
                assertThat(r.confidentMatches()).isEqualTo(r.confidentPositions());
                for (QualityReport.LayerCosine l : r.hiddenCosine()) {
                    assertThat(l.min()).as("layer " + l.layer()).isGreaterThan(0.999);
                }
                assertThat(act.cosineMin()).as("activations-only cosine min").isGreaterThan(0.99999);
                assertThat(act.maxAbsDelta()).as("activations-only max |Δ|").isLessThan(0.01);
            }
        }
    }
}
