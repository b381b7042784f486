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

    /** Fixed cycles per op: dispatch and start (the core's extra done delay is added per op below). */
    static final int OP_OVERHEAD = 8;
    /** The core sees the done of a residual matvec, RMSNorm and GLU this much later (fornax_core DONE_DLY). */
    static final int DONE_DELAY = 3;
    /** Matrix pipeline fill: fire, convert, multiply + tree, accumulate, requant, bias. */
    static int matvecLatency(int lanes) {
        return 13 + CoreParams.log2(lanes);
    }

    /**
     * Attention of all heads: score rows back to back (2 cycles per head to load q), a drain, value
     * rows back to back; head h's value rows wait for head h-2's output (recip + hd requants), which
     * only binds while a head has fewer rows than that output takes.
     */
    static long attention(int heads, int hd, int lg, int pos) {
        long rows = pos + 1;
        // pipeline depths after the timing work (issue 9): the requantiser takes 7 cycles, a value
        // row 14 stages, a head's reciprocal 11 states
        long score = heads * (rows + 3) + lg + 13;
        long outputTime = hd + 25;
        long perHead = Math.max(rows + 1, (outputTime + 1) / 2);
        long value = heads * perHead + outputTime + 14;
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
        return ops(s, lanes, pos, layout.groupSize()).stream().mapToLong(Op::cycles).sum();
    }

    /**
     * The model of each op of the token at position {@code pos}, in the order the sequencer runs
     * them (Program). The report plots these next to measured figures; it is a model, not a
     * measurement.
     */
    public static List<Op> ops(ModelSpec s, int lanes, int pos) {
        return ops(s, lanes, pos, 0);
    }

    /**
     * As {@link #ops(ModelSpec, int, int)} for INT4 weights in groups of {@code g} (0: INT8), through
     * fornax_w4_unpack (docs/HARDWARE.md, "INT4 weight stream").
     */
    public static List<Op> ops(ModelSpec s, int lanes, int pos, int g) {
        List<Op> ops = new ArrayList<>();
        int d = s.hidden();
        int hd = s.headDim();
        int q = s.heads() * hd;
        int kv = s.kvHeads() * hd;
        int inter = s.intermediate();
        long norm = 2L * d + 30 + DONE_DELAY + OP_OVERHEAD;
        long mv = matvecLatency(lanes) + OP_OVERHEAD;
        int lg = CoreParams.bits(hd - 1);
        ops.add(new Op(-1, "embed", d + 19 + OP_OVERHEAD));
        if (g != 0) {
            return int4(ops, s, lanes, pos, g);
        }
        for (int l = 0; l < s.layers(); l++) {
            ops.add(new Op(l, "attn_norm", norm));
            ops.add(new Op(l, "q", beats(q, d, lanes) + mv));
            ops.add(new Op(l, "k", beats(kv, d, lanes) + mv));
            ops.add(new Op(l, "v", beats(kv, d, lanes) + mv));
            ops.add(new Op(l, "heads", (long) (s.heads() + 2 * s.kvHeads()) * hd / 2 + 3 * (10 + OP_OVERHEAD)));
            ops.add(new Op(l, "attention", attention(s.heads(), hd, lg, pos) + 1 + OP_OVERHEAD));
            ops.add(new Op(l, "o", beats(d, q, lanes) + mv + DONE_DELAY));
            ops.add(new Op(l, "mlp_norm", norm));
            ops.add(new Op(l, "gate", beats(inter, d, lanes) + mv));
            ops.add(new Op(l, "up", beats(inter, d, lanes) + mv));
            ops.add(new Op(l, "glu", inter + 8 + DONE_DELAY + OP_OVERHEAD));
            ops.add(new Op(l, "down", beats(d, inter, lanes) + mv + DONE_DELAY));
        }
        ops.add(new Op(-1, "final_norm", norm));
        ops.add(new Op(-1, "lm_head", beats(s.vocab(), d, lanes) + mv));
        return ops;
    }

    /**
     * Extra cycles of an INT4 matrix-vector op: the unpacker's start (its first multiplier beat and
     * the buffer stage; 4 fits stories260K at lanes 16: 21,362 vs 21,206 cycles/token simulated).
     */
    static final int W4_OP_OVERHEAD = 4;

    /**
     * The INT4 list: as INT8, each matrix-vector op longer by {@link #W4_OP_OVERHEAD} plus, per row,
     * the matrix's packed beats beyond its MAC beats (the unpacker takes a beat per cycle, emits a MAC
     * beat per cycle).
     */
    private static List<Op> int4(List<Op> embed, ModelSpec s, int lanes, int pos, int g) {
        List<Op> out = new ArrayList<>(embed);
        List<Op> int8 = ops(s, lanes, pos, 0);
        int d = s.hidden();
        int q = s.heads() * s.headDim();
        int kv = s.kvHeads() * s.headDim();
        int inter = s.intermediate();
        for (Op o : int8.subList(1, int8.size())) {
            int[] shape = switch (o.op()) {
                case "q" -> new int[] {q, d};
                case "k", "v" -> new int[] {kv, d};
                case "o" -> new int[] {d, q};
                case "gate", "up" -> new int[] {inter, d};
                case "down" -> new int[] {d, inter};
                case "lm_head" -> new int[] {s.vocab(), d};
                default -> null;
            };
            long extra = 0;
            if (shape != null) {
                int bpr = Layout.beatsPerRow(shape[1], lanes);
                extra = W4_OP_OVERHEAD + Math.max(0, W4Stream.matrixBeats(shape[0], bpr, lanes, g) - (long) shape[0] * bpr);
            }
            out.add(new Op(o.layer(), o.op(), o.cycles() + extra));
        }
        return out;
    }

    /** A matrix-vector op streams every beat of the matrix once. */
    private static long beats(int rows, int cols, int lanes) {
        return (long) Layout.beatsPerRow(cols, lanes) * rows;
    }
}
