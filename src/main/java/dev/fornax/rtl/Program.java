package dev.fornax.rtl;

import dev.fornax.ir.ModelSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's program: one 192-bit instruction per op, executed in order once per token.
 *
 * <pre>
 * [3:0] op   [7:4] mode   [15:8] layer   [31:16] aux (norm index)   [43:32] gk (signed)
 * [79:48] wbase (beat)   [111:80] cbase (row constant)   [143:112] rows   [159:144] beats/row
 * [191:160] beats
 * </pre>
 */
public final class Program {
    public static final int OP_END = 0, OP_EMBED = 1, OP_RMS = 2, OP_MATVEC = 3, OP_HEADS = 4, OP_ATTN = 5,
            OP_GLU = 6;
    public static final int M_Q = 0, M_K = 1, M_V = 2, M_ACT = 3, M_UP = 4, M_RESID = 5, M_LOGIT = 6;

    /** One instruction. */
    public record Ins(int op, int mode, int layer, int aux, int gk, long wbase, long cbase, long rows, int bpr,
            long beats) {
        BigInteger word() {
            BigInteger w = BigInteger.valueOf(beats).shiftLeft(160)
                    .or(BigInteger.valueOf(bpr).shiftLeft(144))
                    .or(BigInteger.valueOf(rows).shiftLeft(112))
                    .or(BigInteger.valueOf(cbase).shiftLeft(80))
                    .or(BigInteger.valueOf(wbase).shiftLeft(48))
                    .or(BigInteger.valueOf(gk & 0xFFF).shiftLeft(32))
                    .or(BigInteger.valueOf(aux).shiftLeft(16))
                    .or(BigInteger.valueOf(layer).shiftLeft(8))
                    .or(BigInteger.valueOf(mode).shiftLeft(4))
                    .or(BigInteger.valueOf(op));
            return w;
        }

        /** 48 hex digits, most significant first. */
        public String hex() {
            String h = word().toString(16);
            return "0".repeat(48 - h.length()) + h;
        }
    }

    private Program() {}

    public static List<Ins> build(RtlModel model, Layout layout) {
        ModelSpec s = model.spec();
        List<Ins> p = new ArrayList<>();
        Layout.Slot emb = layout.embedding();
        p.add(new Ins(OP_EMBED, 0, 0, 0, 0, emb.wbase(), emb.cbase(), 1, emb.bpr(), emb.bpr()));
        for (int l = 0; l < s.layers(); l++) {
            RtlModel.Layer lw = model.layers().get(l);
            Layout.Slot[] sl = layout.layer(l);
            p.add(rms(l, 2 * l, lw.attnGain().gk()));
            p.add(matvec(M_Q, l, sl[0]));
            p.add(matvec(M_K, l, sl[1]));
            p.add(matvec(M_V, l, sl[2]));
            p.add(new Ins(OP_HEADS, M_Q, l, 0, 0, 0, 0, 0, 0, 0));
            p.add(new Ins(OP_HEADS, M_K, l, 0, 0, 0, 0, 0, 0, 0));
            p.add(new Ins(OP_HEADS, M_V, l, 0, 0, 0, 0, 0, 0, 0));
            p.add(new Ins(OP_ATTN, 0, l, 0, 0, 0, 0, 0, 0, 0));
            p.add(matvec(M_RESID, l, sl[3]));
            p.add(rms(l, 2 * l + 1, lw.ffnGain().gk()));
            p.add(matvec(M_ACT, l, sl[4]));
            p.add(matvec(M_UP, l, sl[5]));
            p.add(new Ins(OP_GLU, 0, l, 0, 0, 0, 0, 0, 0, 0));
            p.add(matvec(M_RESID, l, sl[6]));
        }
        p.add(rms(0, 2 * s.layers(), model.finalGain().gk()));
        p.add(matvec(M_LOGIT, 0, layout.lmHead()));
        p.add(new Ins(OP_END, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        return p;
    }

    private static Ins rms(int layer, int norm, int gk) {
        return new Ins(OP_RMS, 0, layer, norm, gk, 0, 0, 0, 0, 0);
    }

    private static Ins matvec(int mode, int layer, Layout.Slot s) {
        return new Ins(OP_MATVEC, mode, layer, 0, 0, s.wbase(), s.cbase(), s.rows(), s.bpr(), s.beats());
    }
}
