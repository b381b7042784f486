package dev.fornax.rtl;

import dev.fornax.ir.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Analytic cycle model of the core's schedule (the ops run one after another; see
 * docs/HARDWARE.md "Timing"). Used for the manifest's prediction; the simulator measures the truth.
 */
public final class Schedule {
    private Schedule() {}

    /** Fixed cycles per op: dispatch + settle + the core's done delay (3). */
    static final int OP_OVERHEAD = 13;
    /** Matrix pipeline fill: fire, convert, multiply + tree, accumulate, requant, bias. */
    static int matvecLatency(int lanes) {
        return 16 + CoreParams.log2(lanes);
    }

    /**
     * Attention of all heads: score rows back to back (2 cycles per head to load q), a drain, value
     * rows back to back; head h's value rows wait for head h-2's output (recip + hd requants), which
     * only binds while a head has fewer rows than that output takes.
     */
    static long attention(int heads, int hd, int lg, int pos) {
        long rows = pos + 1;
        // pipeline depths after the timing work (issue 9): the requantiser takes 9 cycles, a value
        // row 16 stages, a head's reciprocal 11 states
        long score = heads * (rows + 3) + lg + 15;
        long outputTime = hd + 27;
        long perHead = Math.max(rows + 1, (outputTime + 1) / 2);
        long value = heads * perHead + outputTime + 16;
        return score + value;
    }

    /**
     * One op of a token's schedule with its modelled cycles (its own dispatch overhead included).
     *
     * @param layer the decoder layer, or -1 for the ops before and after the layers
     * @param op    embed, attn_norm, q, k, v, heads (RoPE and KV write), attention, o, mlp_norm, gate,
     *              up, glu, down, final_norm, lm_head
     */
    public record Op(int layer, String op, long cycles) {}

    /**
     * The whole token's model: the sum of {@link #ops}. The layout's matrices have the beats their
     * shapes give ({@link Layout#beatsPerRow(int, int)} × rows), which is what {@code ops} counts.
     */
    public static long predictCycles(ModelSpec s, Layout layout, int lanes, int pos) {
        return ops(s, lanes, pos).stream().mapToLong(Op::cycles).sum();
    }

    /**
     * The model of each op of the token at position {@code pos}, in the order the sequencer runs
     * them (Program). The report plots these next to measured figures; it is a model, not a
     * measurement.
     */
    public static List<Op> ops(ModelSpec s, int lanes, int pos) {
        List<Op> ops = new ArrayList<>();
        int d = s.hidden();
        int hd = s.headDim();
        int q = s.heads() * hd;
        int kv = s.kvHeads() * hd;
        int inter = s.intermediate();
        long norm = 2L * d + 32 + OP_OVERHEAD;
        long mv = matvecLatency(lanes) + OP_OVERHEAD;
        int lg = CoreParams.bits(hd - 1);
        ops.add(new Op(-1, "embed", d + 17 + OP_OVERHEAD));
        for (int l = 0; l < s.layers(); l++) {
            ops.add(new Op(l, "attn_norm", norm));
            ops.add(new Op(l, "q", beats(q, d, lanes) + mv));
            ops.add(new Op(l, "k", beats(kv, d, lanes) + mv));
            ops.add(new Op(l, "v", beats(kv, d, lanes) + mv));
            ops.add(new Op(l, "heads", (long) (s.heads() + 2 * s.kvHeads()) * hd / 2 + 3 * (10 + OP_OVERHEAD)));
            ops.add(new Op(l, "attention", attention(s.heads(), hd, lg, pos) + OP_OVERHEAD));
            ops.add(new Op(l, "o", beats(d, q, lanes) + mv));
            ops.add(new Op(l, "mlp_norm", norm));
            ops.add(new Op(l, "gate", beats(inter, d, lanes) + mv));
            ops.add(new Op(l, "up", beats(inter, d, lanes) + mv));
            ops.add(new Op(l, "glu", inter + 8 + OP_OVERHEAD));
            ops.add(new Op(l, "down", beats(d, inter, lanes) + mv));
        }
        ops.add(new Op(-1, "final_norm", norm));
        ops.add(new Op(-1, "lm_head", beats(s.vocab(), d, lanes) + mv));
        return ops;
    }

    /** A matrix-vector op streams every beat of the matrix once. */
    private static long beats(int rows, int cols, int lanes) {
        return (long) Layout.beatsPerRow(cols, lanes) * rows;
    }
}
