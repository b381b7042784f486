package dev.fornax.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.NormForm;
import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import org.junit.jupiter.api.Test;

/**
 * Each element-wise operation against the value torch 1.13 computes in float32 for the module HF
 * uses (LlamaRMSNorm, GemmaRMSNorm, gelu(approximate="tanh"), silu, softmax, rotate_half RoPE).
 * Expected values were printed by /usr/bin/python3 with Debian's python3-torch 1.13.1 from the
 * same inputs (test resource kernels-torch1.13.py).
 */
class KernelsTest {
    /** |actual - expected| within {@code ulps} units in the last place of expected. */
    private static void assertUlps(float[] actual, double[] expected, int ulps) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            float e = (float) expected[i];
            assertThat(actual[i]).as("element %d", i).isCloseTo(e,
                    org.assertj.core.data.Offset.offset(ulps * Math.max(Math.ulp(e), Float.MIN_NORMAL)));
        }
    }

    private static final float[] X = {0.5f, -1.25f, 2.0f, 0.125f, -3.5f, 0.75f};
    private static final float[] W = {1.1f, 0.9f, -0.2f, 1.5f, 0.3f, 1.0f};

    @Test
    void llamaRmsNormMultipliesByW() {
        // LlamaRMSNorm(eps=1e-6): w * (x * rsqrt(mean(x²) + eps))
        float[] out = new float[X.length];
        Kernels.rmsNorm(X, W, 1e-6f, NormForm.WEIGHT, out);
        assertUlps(out, new double[] {0.312038391828537, -0.6382603049278259, -0.22693701088428497,
            0.10637672245502472, -0.5957096815109253, 0.4255068898200989}, 2);
    }

    @Test
    void gemmaRmsNormMultipliesByOnePlusW() {
        // GemmaRMSNorm(eps=1e-6): (x * rsqrt(mean(x²) + eps)) * (1 + w)
        float[] out = new float[X.length];
        Kernels.rmsNorm(X, W, 1e-6f, NormForm.ONE_PLUS_WEIGHT, out);
        assertUlps(out, new double[] {0.5957096219062805, -1.3474384546279907, 0.9077480435371399,
            0.1772945374250412, -2.5814082622528076, 0.8510137796401978}, 2);
    }

    private static final float[] G = {-3.0f, -1.0f, -0.1f, 0.0f, 0.5f, 1.0f, 2.5f};

    @Test
    void geluIsTheTanhApproximationNotErf() {
        // torch.nn.functional.gelu(g, approximate="tanh"); erf GELU would give -0.004049867 at -3.
        float[] out = new float[G.length];
        for (int i = 0; i < G.length; i++) {
            out[i] = Kernels.geluTanh(G[i]);
        }
        assertUlps(out, new double[] {-0.0036374330520629883, -0.15880799293518066, -0.046017248183488846,
            0.0, 0.3457140028476715, 0.8411920070648193, 2.4849157333374023}, 2);
    }

    @Test
    void siluIsXTimesSigmoid() {
        float[] out = new float[G.length];
        for (int i = 0; i < G.length; i++) {
            out[i] = Kernels.silu(G[i]);
        }
        assertUlps(out, new double[] {-0.14227761328220367, -0.2689414322376251, -0.04750208184123039,
            0.0, 0.3112296760082245, 0.7310585975646973, 2.310354471206665}, 2);
    }

    @Test
    void softmaxSubtractsTheMaximum() {
        // torch's exp is SLEEF's 1-ulp expf, ours is correctly rounded: a few ulps apart at most.
        float[] s = {1.0f, -2.0f, 0.5f, 3.0f, -1e4f};
        Kernels.softmax(s, s.length);
        assertUlps(s, new double[] {0.11055374145507812, 0.005504146683961153, 0.06705423444509506,
            0.8168877959251404, 0.0}, 3);
    }

    @Test
    void ropeRotatesElementIWithElementIPlusHalfHeadDim() {
        // head_dim 8, theta 1e4, position 3: q * cos + rotate_half(q) * sin, rotate_half = cat(-q[4:], q[:4]).
        // The interleaved (2i, 2i+1) layout would give a different vector.
        float[] q = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f};
        float[] inv = new Rope(1e4, new RopeScaling.None()).inverseFrequencies(8);
        float[] cos = new float[4];
        float[] sin = new float[4];
        for (int i = 0; i < 4; i++) {
            float angle = inv[i] * 3f;
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
        Kernels.rope(q, 0, 8, cos, sin);
        assertUlps(q, new double[] {-0.16955925524234772, 0.013755172491073608, 0.2788681983947754,
            0.3975982069969177, -0.48088425397872925, 0.6323059797286987, 0.7086836695671082,
            0.8011964559555054}, 2);
    }
}
