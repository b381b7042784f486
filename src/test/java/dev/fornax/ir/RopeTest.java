package dev.fornax.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Inverse frequencies against a float64 transcription of modeling_rope_utils, and the llama3 bands
 * against the llama fixture's manifest (wavelengths 6.28 … 609226 for theta 5e5, head_dim 16; i=0..3
 * kept, i=4 smoothed, i=5..7 divided by the factor 32).
 */
class RopeTest {
    private static double plain(double theta, int i, int headDim) {
        return 1.0 / Math.pow(theta, 2.0 * i / headDim);
    }

    @Test
    void defaultFrequencies() {
        float[] inv = new Rope(10000, new RopeScaling.None()).inverseFrequencies(64);
        assertThat(inv).hasSize(32);
        for (int i = 0; i < 32; i++) {
            assertThat((double) inv[i]).isCloseTo(plain(10000, i, 64), within(plain(10000, i, 64) * 1e-6));
        }
    }

    @Test
    void linearDividesEveryFrequency() {
        float[] inv = new Rope(10000, new RopeScaling.Linear(4)).inverseFrequencies(16);
        for (int i = 0; i < 8; i++) {
            assertThat((double) inv[i]).isCloseTo(plain(10000, i, 16) / 4, within(plain(10000, i, 16) * 1e-6));
        }
    }

    @Test
    void llama3BandsMatchTheFixtureManifest() {
        double[] manifestWavelengths = {6.28, 32.4, 167.08, 861.58, 4442.88, 22910.58, 118142.83, 609226.27};
        float[] inv = new Rope(500000, new RopeScaling.Llama3(32, 1, 4, 8192)).inverseFrequencies(16);
        for (int i = 0; i < 8; i++) {
            double f = plain(500000, i, 16);
            double wavelength = 2 * Math.PI / f;
            assertThat(wavelength).isCloseTo(manifestWavelengths[i], within(0.01));
            double expected;
            if (wavelength < 8192 / 4.0) {
                expected = f; // high frequency: kept
            } else if (wavelength > 8192 / 1.0) {
                expected = f / 32; // low frequency: divided by factor
            } else {
                double smooth = (8192 / wavelength - 1) / (4 - 1);
                expected = (1 - smooth) * f / 32 + smooth * f;
            }
            assertThat((double) inv[i]).as("i=%d", i).isCloseTo(expected, within(expected * 1e-5));
        }
        // The smoothed band really lies strictly between the two others.
        double f4 = plain(500000, 4, 16);
        assertThat((double) inv[4]).isStrictlyBetween(f4 / 32, f4);
    }
}
