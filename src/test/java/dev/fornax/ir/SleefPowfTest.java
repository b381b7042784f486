package dev.fornax.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link SleefPowf} bit for bit against torch 1.13's vectorised pow (AVX2, SLEEF 3.5.1):
 * powf-torch1.13.txt in the engine test resources (6 bases × 512 exponents in [-1.5, 2.5), produced
 * by the .py next to it; see that folder's README).
 */
class SleefPowfTest {
    @Test
    void everyReferenceValueMatchesBitForBit() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/dev/fornax/engine/powf-torch1.13.txt")) {
            assertThat(in).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int checked = 0;
        int correctlyRoundedDiffers = 0;
        for (String line : text.split("\n")) {
            String[] p = line.trim().split(" ");
            float base = Float.intBitsToFloat(Integer.parseUnsignedInt(p[0], 16));
            float exponent = Float.intBitsToFloat(Integer.parseUnsignedInt(p[1], 16));
            int expected = Integer.parseUnsignedInt(p[2], 16);
            assertThat(Integer.toHexString(Float.floatToRawIntBits(SleefPowf.pow(base, exponent))))
                    .as("pow(%s, %s)", base, exponent).isEqualTo(Integer.toHexString(expected));
            if (Float.floatToRawIntBits((float) Math.pow(base, exponent)) != expected) {
                correctlyRoundedDiffers++;
            }
            checked++;
        }
        assertThat(checked).isEqualTo(6 * 512);
        // The reference really exercises the 1-ulp behaviour: correctly rounded pow misses some.
        assertThat(correctlyRoundedDiffers).isPositive();
    }

    @Test
    void onlyThePositiveFiniteDomainIsAccepted() {
        assertThat(SleefPowf.pow(7f, 0f)).isEqualTo(1f);
        assertThat(SleefPowf.pow(1f, 3.5f)).isEqualTo(1f);
        assertThatThrownBy(() -> SleefPowf.pow(-2f, 0.5f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SleefPowf.pow(2f, Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
