package dev.fornax.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.golden.IntOps;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.quant.InMemoryWeights.ArrayMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** INT4 weights with group multipliers (docs/NUMERICS.md, "INT4 weights"). */
class Int4QuantizerTest {

    @Test
    void effectiveWeightsAreQTimesUWithinTheRangesAndTheGroupErrorIsTheBestMultiplier() {
        InMemoryWeights w = InMemoryWeights.random(QuantizerTest.small(Architecture.LLAMA), 3, 0.05);
        WeightFormat f = new WeightFormat(4, 32);
        QuantizedModel q = Quantizer.quantize(w, f);
        assertThat(q.format()).isEqualTo(f);
        LayerWeights lw = w.layer(0);
        check((ArrayMatrix) lw.wq(), q.layers().get(0).wq());
        check((ArrayMatrix) lw.wDown(), q.layers().get(0).wDown()); // 48 columns: a short last group
        check(w.embedding(), q.embedding());
        assertThat(q.lmHead().data()).isSameAs(q.embedding().data()); // tied: one table
    }

    private static void check(ArrayMatrix f, QuantMatrix q) {
        int g = q.groupSize();
        assertThat(g).isEqualTo(32);
        assertThat(q.groups()).isEqualTo((f.cols() + 31) / 32);
        for (int r = 0; r < f.rows(); r++) {
            double max = 0;
            for (int c = 0; c < f.cols(); c++) {
                max = Math.max(max, Math.abs(f.data()[r * f.cols() + c]));
            }
            double s = max / 126; // the row's requant scale
            assertThat(Math.abs(q.scale(r).value() / s - 1)).isLessThanOrEqualTo(Math.scalb(1.0, -16));
            for (int gi = 0; gi < q.groups(); gi++) {
                int u = q.groupScale()[r * q.groups() + gi];
                assertThat(u).isBetween(1, 18);
                int c0 = gi * g;
                int c1 = Math.min(f.cols(), c0 + g);
                double chosen = 0;
                double gmax = 0;
                for (int c = c0; c < c1; c++) {
                    int e = q.data()[r * f.cols() + c];
                    assertThat(e % u).isZero();
                    assertThat(Math.abs(e / u)).isLessThanOrEqualTo(7);
                    double x = f.data()[r * f.cols() + c];
                    gmax = Math.max(gmax, Math.abs(x));
                    chosen += Math.pow(x - e * s, 2);
                    assertThat(e == 0 || Math.signum(e) == Math.signum(x)).isTrue();
                }
                // independent reference: any multiplier v with plain nearest rounding (clamped) does no better
                for (int v = 1; v <= 18; v++) {
                    double err = 0;
                    for (int c = c0; c < c1; c++) {
                        double x = f.data()[r * f.cols() + c];
                        long qq = Math.max(-7, Math.min(7, Math.round(x / (v * s))));
                        err += Math.pow(x - qq * v * s, 2);
                    }
                    assertThat(chosen).isLessThanOrEqualTo(err * (1 + 1e-9) + 1e-30);
                }
                // the bound of NUMERICS.md: RMS error ≤ (gmax/7 + s)/2 (the unclipped multiplier ceil(gmax/7s))
                double bound = (gmax / 7 + s) / 2;
                assertThat(Math.sqrt(chosen / (c1 - c0))).isLessThanOrEqualTo(bound * (1 + 1e-9));
            }
        }
    }

    @Test
    void theRowMaximumIsExactAndZeroRowsKeepMultiplierOne() {
        float[] row = new float[64];
        row[3] = -1.26f;
        row[40] = 0.07f; // second group: 0.07 = 7·s and 0.01 = s with s = 0.01: only u = 1 keeps both
        row[41] = 0.01f;
        byte[] dst = new byte[64];
        byte[] u = new byte[2];
        double s = Quantizer.quantizeRow4(row, 64, 32, dst, 0, u, 0, "t", 0);
        assertThat(s).isEqualTo(1.26f / 126.0);
        assertThat(u).containsExactly(18, 1);
        assertThat(dst[3]).isEqualTo((byte) -126);
        assertThat(dst[40]).isEqualTo((byte) 7);
        assertThat(dst[41]).isEqualTo((byte) 1);
        assertThat(Quantizer.quantizeRow4(new float[64], 64, 32, dst, 0, u, 0, "t", 0)).isZero();
        assertThat(u).containsExactly(1, 1);
        assertThat(dst).containsOnly(0);
    }

    @Test
    void groupedAccumulationEqualsTheEffectiveInt8Sum() {
        // Σ_g u_g·(Σ_{c∈g} q_c·x_c) — the form the numerics describe — is the integer the int8 datapath sums.
        Random rnd = new Random(7);
        int cols = 172;
        int g = 32;
        int ng = (cols + g - 1) / g;
        for (int t = 0; t < 200; t++) {
            byte[] w = new byte[cols];
            int[] u = new int[ng];
            int[] x = new int[cols];
            long grouped = 0;
            for (int gi = 0; gi < ng; gi++) {
                u[gi] = 1 + rnd.nextInt(18);
                long part = 0;
                for (int c = gi * g; c < Math.min(cols, gi * g + g); c++) {
                    int q = rnd.nextInt(15) - 7;
                    x[c] = rnd.nextInt(65535) - 32767;
                    w[c] = (byte) (q * u[gi]);
                    part += (long) q * x[c];
                }
                grouped += u[gi] * part;
            }
            int m = 32768 + rnd.nextInt(32768);
            int k = 20 + rnd.nextInt(10);
            int e = -rnd.nextInt(20);
            assertThat(IntOps.matvecRow(w, 0, x, cols, e, m, k, 0))
                    .isEqualTo(IntOps.sat32(IntOps.requant(grouped, m, k - e - IntOps.Q)));
        }
    }

    @Test
    void formatOptionsAreChecked() {
        assertThat(WeightFormat.of(4, null)).isEqualTo(new WeightFormat(4, 32));
        assertThat(WeightFormat.of(8, null)).isEqualTo(WeightFormat.INT8);
        assertThatThrownBy(() -> WeightFormat.of(4, 48)).isInstanceOf(FornaxException.class)
                .hasMessage("--group-size must be a power of two in 32..256, got 48");
        assertThatThrownBy(() -> WeightFormat.of(4, 512)).isInstanceOf(FornaxException.class);
        assertThatThrownBy(() -> WeightFormat.of(8, 32)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("--weight-bits 4 only");
        assertThatThrownBy(() -> WeightFormat.of(6, null)).isInstanceOf(FornaxException.class)
                .hasMessage("--weight-bits must be 4 or 8, got 6");
    }

    @Test
    void int4DigestDiffersFromInt8AndIsDeterministic() {
        InMemoryWeights w = InMemoryWeights.random(QuantizerTest.small(Architecture.QWEN2), 2, 0.05);
        String a = QuantizedModelStream.sha256(Quantizer.quantize(w, new WeightFormat(4, 32)));
        String b = QuantizedModelStream.sha256(Quantizer.quantize(w, new WeightFormat(4, 32)));
        String c = QuantizedModelStream.sha256(Quantizer.quantize(w, new WeightFormat(4, 64)));
        assertThat(a).isEqualTo(b).isNotEqualTo(c)
                .isNotEqualTo(QuantizedModelStream.sha256(Quantizer.quantize(w)));
    }
}
