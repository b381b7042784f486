package dev.fornax.rtl;

import dev.fornax.FornaxException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The core's instruction set, defined once: opcodes, modes and the fields of the 192-bit
 * instruction word. {@link Program} encodes with it, {@link IsaHeader} writes it into
 * {@code fornax_isa.vh} for the fixed RTL ({@code fornax_core.v} slices the word with those
 * macros), and {@code IsaDocTest} checks the table in docs/HARDWARE.md against
 * {@link #markdownTable()}.
 */
public final class Isa {
    private Isa() {}

    /** Bits of one instruction word. */
    public static final int WIDTH = 192;

    /** What the execution sequencer starts. */
    public enum Op {
        END(0), EMBED(1), RMSNORM(2), MATVEC(3), HEADS(4), ATTN(5), GLU(6);

        public final int code;

        Op(int code) {
            this.code = code;
        }
    }

    /**
     * MATVEC: where the output rows go (q/k/v to the scratch with per-head maxima, gate through the
     * activation, up to the scratch, residual add into H, logits to the FIFO and argmax); HEADS: which
     * of q, k, v (codes 0..2) the unit converts.
     */
    public enum Mode {
        Q(0, "q"), K(1, "k"), V(2, "v"), ACT(3, "gate (activate)"), UP(4, "up"), RESID(5, "residual"),
        LOGIT(6, "logits");

        public final int code;
        final String doc;

        Mode(int code, String doc) {
            this.code = code;
            this.doc = doc;
        }
    }

    /** A field of the instruction word: bits [lsb + width − 1 : lsb]. */
    public enum Field {
        OP(0, 4, "op: " + Arrays.stream(Op.values()).map(o -> o.code + " " + o).collect(Collectors.joining(", "))),
        MODE(4, 4, "mode: MATVEC out mode " + Arrays.stream(Mode.values()).map(m -> m.code + " " + m.doc)
                .collect(Collectors.joining(", ")) + "; HEADS 0 q, 1 k, 2 v"),
        LAYER(8, 8, "layer"),
        AUX(16, 16, "RMSNORM: norm index (gain ROM base = index·D)"),
        GK(32, 12, "RMSNORM: gk (signed)"),
        WBASE(48, 32, "first weight beat (EMBED: of row 0)"),
        CBASE(80, 32, "first row constant (EMBED: of row 0)"),
        ROWS(112, 32, "rows"),
        BPR(144, 16, "beats per row"),
        BEATS(160, 32, "beats in total (EMBED: row pitch in beats)");

        public final int lsb;
        public final int width;
        final String doc;

        Field(int lsb, int width, String doc) {
            this.lsb = lsb;
            this.width = width;
            this.doc = doc;
        }

        public int msb() {
            return lsb + width - 1;
        }

        /** Whether the field holds a two's-complement value (else unsigned). */
        public boolean signed() {
            return this == GK;
        }

        /**
         * {@code value} in the field's bits, moved to its position.
         *
         * @throws FornaxException when the value does not fit the field (the design would be wrong)
         */
        BigInteger place(long value) {
            long lo = signed() ? -(1L << (width - 1)) : 0;
            long hi = signed() ? (1L << (width - 1)) - 1 : (1L << width) - 1;
            if (value < lo || value > hi) {
                throw new FornaxException("the instruction field " + this + " (" + width + " bits) cannot hold "
                        + value + "; the model is too large for the core's instruction set");
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
            return BigInteger.valueOf(value).and(mask).shiftLeft(lsb);
        }
    }

    /** The instruction table of docs/HARDWARE.md ("Program"). */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| bits | field |\n|---|---|\n");
        for (Field f : Field.values()) {
            sb.append("| [").append(f.msb()).append(':').append(f.lsb).append("] | ").append(f.doc).append(" |\n");
        }
        return sb.toString();
    }
}
