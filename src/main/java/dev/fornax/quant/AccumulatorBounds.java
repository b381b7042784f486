package dev.fornax.quant;

import dev.fornax.FornaxException;
import dev.fornax.golden.IntOps;
import dev.fornax.ir.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The worst-case magnitude of every accumulator of docs/NUMERICS.md ("Accumulator bounds") for one
 * model and context. The hardware accumulates in a DSP48 P register (48 bits signed), so each bound
 * must stay below 2^47; {@link #check} refuses a model that could overflow instead of letting the
 * RTL wrap silently. The RTL generator can size narrower accumulators from {@link #bits()}.
 */
public final class AccumulatorBounds {
    private AccumulatorBounds() {}

    /** Magnitude bits an accumulator may use (48-bit signed register). */
    public static final int LIMIT_BITS = 47;

    private static final long MANT = (1L << IntOps.MANT_BITS) - 1; // |BFP15 mantissa|
    private static final long HEAD_MANT = (1L << IntOps.HEAD_MANT_BITS) - 1; // |BFP14 mantissa| (v)
    /** |RoPE output| ≤ round(16383·√2·(16384 + √2/2)/16384) = 23170 (q and k after rotation). */
    private static final long ROTATED = 23_170;
    /** The largest softmax weight: EXP2[0] = 2^15. */
    private static final long EXP_ONE = 1L << 15;

    /**
     * One accumulator: what it sums and its largest possible magnitude.
     *
     * @param what    description naming the dimension that drives it
     * @param maxAbs  worst-case |sum|
     */
    public record Bound(String what, long maxAbs) {
        /** Signed width needed: magnitude bits + sign. */
        public int bits() {
            return IntOps.bitlen(maxAbs) + 1;
        }

        public boolean fits() {
            return maxAbs < (1L << LIMIT_BITS);
        }
    }

    /** Every accumulator of the model at {@code context} positions. */
    public static List<Bound> of(ModelSpec spec, int context) {
        List<Bound> out = new ArrayList<>();
        int qDim = spec.heads() * spec.headDim();
        matmul(out, "q/k/v/gate/up projections (hidden " + spec.hidden() + " columns)", spec.hidden());
        matmul(out, "o_proj (" + qDim + " columns)", qDim);
        matmul(out, "down_proj (intermediate " + spec.intermediate() + " columns)", spec.intermediate());
        // Σ m² over D mantissas plus EPS[0] = round(D·eps·2^32), the largest eps entry.
        long eps0 = Math.round(spec.hidden() * spec.normEps() * Math.scalb(1.0, 32));
        out.add(new Bound("RMSNorm sum of squares (hidden " + spec.hidden() + ")",
                satAdd(satMul(spec.hidden(), MANT * MANT), eps0)));
        out.add(new Bound("attention score q·k (head_dim " + spec.headDim() + ")",
                satMul(spec.headDim(), ROTATED * ROTATED)));
        out.add(new Bound("attention weights·V (context " + context + ")", satMul(context, EXP_ONE * HEAD_MANT)));
        out.add(new Bound("softmax denominator (context " + context + ")", satMul(context, EXP_ONE)));
        return out;
    }

    private static void matmul(List<Bound> out, String what, int cols) {
        out.add(new Bound("matmul " + what, satMul(cols, 127 * MANT)));
    }

    /**
     * @throws FornaxException naming the first accumulator that could exceed 48 bits
     */
    public static void check(ModelSpec spec, int context) {
        for (Bound b : of(spec, context)) {
            if (!b.fits()) {
                throw new FornaxException("the " + b.what() + " accumulator could reach " + b.maxAbs()
                        + " (" + b.bits() + " bits signed), beyond the 48-bit DSP accumulator; this model"
                        + " (or context) is too large for the Fornax numerics v" + IntOps.NUMERICS_VERSION);
            }
        }
    }

    private static long satMul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    private static long satAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
