package dev.fornax.rtl;

import dev.fornax.ir.ModelSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's program: one instruction per op ({@link Isa}: fields, opcodes, modes), executed in
 * order once per token.
 */
public final class Program {
    public static final int OP_END = Isa.Op.END.code, OP_EMBED = Isa.Op.EMBED.code, OP_RMS = Isa.Op.RMSNORM.code,
            OP_MATVEC = Isa.Op.MATVEC.code, OP_HEADS = Isa.Op.HEADS.code, OP_ATTN = Isa.Op.ATTN.code,
            OP_GLU = Isa.Op.GLU.code;
    public static final int M_Q = Isa.Mode.Q.code, M_K = Isa.Mode.K.code, M_V = Isa.Mode.V.code,
            M_ACT = Isa.Mode.ACT.code, M_UP = Isa.Mode.UP.code, M_RESID = Isa.Mode.RESID.code,
            M_LOGIT = Isa.Mode.LOGIT.code;

    /** One instruction. */
    public record Ins(int op, int mode, int layer, int aux, int gk, long wbase, long cbase, long rows, int bpr,
            long beats) {
        BigInteger word() {
            return Isa.Field.BEATS.place(beats)
                    .or(Isa.Field.BPR.place(bpr))
                    .or(Isa.Field.ROWS.place(rows))
                    .or(Isa.Field.CBASE.place(cbase))
                    .or(Isa.Field.WBASE.place(wbase))
                    .or(Isa.Field.GK.place(gk))
                    .or(Isa.Field.AUX.place(aux))
                    .or(Isa.Field.LAYER.place(layer))
                    .or(Isa.Field.MODE.place(mode))
                    .or(Isa.Field.OP.place(op));
        }

        /** The word in hex, most significant digit first, {@link Isa#WIDTH}/4 digits. */
        public String hex() {
            String h = word().toString(16);
            return "0".repeat(Isa.WIDTH / 4 - h.length()) + h;
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

    /** INT4 layouts: BEATS holds {log2 rows per block, bpr}, from which fornax_w4_unpack derives the beats it requests. */
    private static Ins matvec(int mode, int layer, Layout.Slot s) {
        long beats = s.blocked() ? ((long) s.log2Block() << 16) | s.bpr() : s.beats();
        return new Ins(OP_MATVEC, mode, layer, 0, 0, s.wbase(), s.cbase(), s.rows(), s.bpr(), beats);
    }
}
