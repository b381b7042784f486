package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The elementary integer operations of NUMERICS.md "Notation" and the requantiser. */
class ElementaryOpsTest {

    @Test
    void bitlenCountsMagnitudeBitsInTwosComplement() {
        assertThat(IntOps.bitlen(0)).isZero();
        assertThat(IntOps.bitlen(-1)).isZero();
        assertThat(IntOps.bitlen(1)).isEqualTo(1);
        assertThat(IntOps.bitlen(-2)).isEqualTo(1);
        assertThat(IntOps.bitlen(32767)).isEqualTo(15);
        assertThat(IntOps.bitlen(32768)).isEqualTo(16);
        assertThat(IntOps.bitlen(-32768)).isEqualTo(15);
        assertThat(IntOps.bitlen(Integer.MIN_VALUE)).isEqualTo(31);
        assertThat(IntOps.bitlen(Long.MAX_VALUE)).isEqualTo(63);
    }

    @Test
    void rshrRoundsHalfUpAtEveryShift() {
        assertThat(IntOps.rshr(5, 1)).isEqualTo(3); // 2.5 → 3
        assertThat(IntOps.rshr(-5, 1)).isEqualTo(-2); // −2.5 → −2 (half up, not away from zero)
        assertThat(IntOps.rshr(-6, 2)).isEqualTo(-1); // −1.5 → −1
        assertThat(IntOps.rshr(-7, 2)).isEqualTo(-2); // −1.75 → −2
        assertThat(IntOps.rshr(3, 0)).isEqualTo(3);
        assertThat(IntOps.rshr(3, -4)).isEqualTo(48); // n ≤ 0 shifts left
        assertThat(IntOps.rshr(Long.MAX_VALUE >> 2, 63)).isZero();
        Random r = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            long x = r.nextLong() >> r.nextInt(40);
            int n = 1 + r.nextInt(40);
            BigDecimal exact = new BigDecimal(x).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)));
            long expected = exact.setScale(0, RoundingMode.HALF_UP).longValueExact();
            if (exact.signum() < 0 && exact.remainder(BigDecimal.ONE).abs().compareTo(new BigDecimal("0.5")) == 0) {
                expected += 1; // HALF_UP in BigDecimal rounds −2.5 to −3; rshr rounds ties toward +∞
            }
            assertThat(IntOps.rshr(x, n)).as("rshr(%d, %d)", x, n).isEqualTo(expected);
        }
    }

    @Test
    void saturationAndSymmetricClamp() {
        assertThat(IntOps.sat32(1L << 40)).isEqualTo(Integer.MAX_VALUE);
        assertThat(IntOps.sat32(-(1L << 40))).isEqualTo(Integer.MIN_VALUE);
        assertThat(IntOps.sat32(-5)).isEqualTo(-5);
        assertThat(IntOps.clampSym(40000, 15)).isEqualTo(32767);
        assertThat(IntOps.clampSym(-40000, 15)).isEqualTo(-32767); // symmetric: never −2^15
        assertThat(IntOps.clampSym(-32767, 15)).isEqualTo(-32767);
    }

    @Test
    void lerpFloorsTheInterpolatedStep() {
        int[] t = {100, 90};
        assertThat(IntOps.lerp(t, 0, 0, 8)).isEqualTo(100);
        assertThat(IntOps.lerp(t, 0, 128, 8)).isEqualTo(95);
        assertThat(IntOps.lerp(t, 0, 1, 8)).isEqualTo(99); // 100 + floor(−10/256) = 99
        assertThat(IntOps.lerp(new int[] {0, 10}, 0, 255, 8)).isEqualTo(9);
    }

    @Test
    void toBfpShiftsOnlyWhenTheMaximumNeedsMoreBits() {
        int[] out = new int[3];
        assertThat(IntOps.toBfp(new int[] {32767, -5, 0}, 0, 3, 15, out, 0)).isZero();
        assertThat(out).containsExactly(32767, -5, 0);
        // 32768 needs 16 bits: shift 1.
        assertThat(IntOps.toBfp(new int[] {32768, -5, 3}, 0, 3, 15, out, 0)).isEqualTo(1);
        assertThat(out).containsExactly(16384, -2, 2);
        // 65535 >> 1 rounds up to 32768: the symmetric clamp keeps it at 2^15 − 1.
        assertThat(IntOps.toBfp(new int[] {65535, -65535, 1}, 0, 3, 15, out, 0)).isEqualTo(1);
        assertThat(out).containsExactly(32767, -32767, 1);
        // −2^31 has magnitude 2^31: 32 bits, shift 17.
        assertThat(IntOps.toBfp(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0}, 0, 3, 15, out, 0)).isEqualTo(17);
        assertThat(out).containsExactly(-16384, 16384, 0);
        assertThat(IntOps.toBfp(new int[] {0, 0, 0}, 0, 3, 15, out, 0)).isZero();
        assertThat(out).containsExactly(0, 0, 0);
    }

    /**
     * NUMERICS bound: |requant(acc, M, sh) − acc·M·2^−sh| ≤ 0.5 + 2^−23·|acc·M·2^−sh| before
     * saturation (one rounding of the accumulator to 23 bits, one of the product).
     */
    @Test
    void requantStaysWithinHalfAnLsbPlusTwoToMinus23Relative() {
        Random r = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            long acc = r.nextLong() >> (16 + r.nextInt(48));
            int m = (1 << 15) + r.nextInt(1 << 15);
            int sh = r.nextInt(60) - 20;
            int got = IntOps.requant(acc, m, sh);
            BigDecimal exact = new BigDecimal(acc).multiply(BigDecimal.valueOf(m))
                    .multiply(new BigDecimal(2).pow(-sh, java.math.MathContext.DECIMAL128));
            if (exact.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                assertThat(got).as("requant(%d, %d, %d) saturates", acc, m, sh)
                        .isEqualTo(exact.signum() > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE);
                continue;
            }
            double err = Math.abs(got - exact.doubleValue());
            assertThat(err).as("requant(%d, %d, %d)", acc, m, sh)
                    .isLessThanOrEqualTo(0.5 + Math.scalb(Math.abs(exact.doubleValue()), -23) + 1e-9);
        }
    }

    @Test
    void requantSaturatesLeftShiftsInsteadOfWrapping() {
        assertThat(IntOps.requant(1L << 22, 65535, -40)).isEqualTo(Integer.MAX_VALUE);
        assertThat(IntOps.requant(-(1L << 22), 65535, -40)).isEqualTo(Integer.MIN_VALUE);
        assertThat(IntOps.requant(0, 65535, -40)).isZero();
        assertThat(IntOps.requant(1, 32768, -2)).isEqualTo(131072);
        // A 37-bit accumulator with a left shift of 16 (found by the bound test above): the shift
        // by −n = 30 after dropping t = 14 bits used to overflow 64 bits and wrap to −2^31.
        assertThat(IntOps.requant(113_455_182_352L, 40971, -16)).isEqualTo(Integer.MAX_VALUE);
        assertThat(IntOps.requant(-113_455_182_352L, 40971, -16)).isEqualTo(Integer.MIN_VALUE);
        // Just below and at the saturation threshold of a left shift.
        assertThat(IntOps.requant(1, 32768, -16)).isEqualTo(Integer.MAX_VALUE); // 2^31
        assertThat(IntOps.requant(1, 65535, -15)).isEqualTo(65535 << 15);
        assertThat(IntOps.requant(-1, 32768, -16)).isEqualTo(Integer.MIN_VALUE); // −2^31 exactly
        // The largest 48-bit accumulator: t = 24 bits dropped first, no overflow.
        assertThat(IntOps.requant((1L << 47) - 1, 32768, 15 + 47 - 20)).isEqualTo(1 << 20);
        assertThat(IntOps.requant(-(1L << 47), 32768, 15 + 47 - 20)).isEqualTo(-(1 << 20));
    }

    @Test
    void argmaxTakesTheLowestIndexOfATie() {
        assertThat(IntOps.argmax(new int[] {3, 7, 7, 1}, 4)).isEqualTo(1);
        assertThat(IntOps.argmax(new int[] {-5, -5, -5}, 3)).isZero();
        assertThat(IntOps.argmax(new int[] {Integer.MIN_VALUE, Integer.MIN_VALUE + 1}, 2)).isEqualTo(1);
        assertThat(IntOps.argmax(new int[] {Integer.MAX_VALUE, 0, Integer.MAX_VALUE}, 3)).isZero();
    }
}
