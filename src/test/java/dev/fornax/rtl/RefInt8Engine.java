package dev.fornax.rtl;

import dev.fornax.golden.IntOps;
import dev.fornax.golden.Tables;
import dev.fornax.ir.ModelSpec;

/**
 * The integer forward pass of docs/NUMERICS.md composed from {@link IntOps} on an {@link RtlModel}:
 * the test's independent expectation for the RTL until the golden Int8Engine is in main. Returns
 * Q16 int32 logits per step.
 */
final class RefInt8Engine {
    private final RtlModel m;
    private final ModelSpec s;
    private final int[][][][] kc, vc; // [layer][kvhead][pos][hd]
    private final int[][][] ek, ev;
    private final Tables.RopeTables rope;
    private final Tables.Scale score;
    private final int[] exp2 = Tables.exp2();
    private final int[] recip = Tables.recip();
    private final int[] rsqrt = Tables.rsqrt();
    /** When not null, receives "pos layer op" → values (index → value) and exponents (block → exponent). */
    java.util.Map<String, java.util.Map<Integer, Integer>> trace;
    private int tpos;

    private void tv(int layer, String op, int[] v, int n) {
        if (trace != null) {
            java.util.Map<Integer, Integer> m = trace.computeIfAbsent(tpos + " " + layer + " " + op,
                    k -> new java.util.TreeMap<>());
            for (int i = 0; i < n; i++) {
                m.put(i, v[i]);
            }
        }
    }

    private void te(int layer, String op, int block, int e) {
        if (trace != null) {
            trace.computeIfAbsent(tpos + " " + layer + " " + op + " exp", k -> new java.util.TreeMap<>()).put(block, e);
        }
    }

    RefInt8Engine(RtlModel m, int context) {
        this.m = m;
        this.s = m.spec();
        kc = new int[s.layers()][s.kvHeads()][context][];
        vc = new int[s.layers()][s.kvHeads()][context][];
        ek = new int[s.layers()][s.kvHeads()][context];
        ev = new int[s.layers()][s.kvHeads()][context];
        rope = m.rope();
        score = m.score();
    }

    int[] step(int tok, int pos) {
        int d = s.hidden();
        int hd = s.headDim();
        int[] h = new int[d];
        tpos = pos;
        QMatrix e = m.embedding();
        IntOps.embed(e.q(), tok * d, d, e.m()[tok], e.k()[tok], h);
        tv(-1, "embed", h, d);
        int[] xm = new int[Math.max(d, Math.max(s.intermediate(), s.heads() * hd))];
        for (int l = 0; l < s.layers(); l++) {
            RtlModel.Layer lw = m.layers().get(l);
            int ex = IntOps.rmsnorm(h, d, lw.attnGain().g(), lw.attnGain().gk(), m.epsTab(), rsqrt, xm);
            tv(l, "attn_norm", xm, d);
            te(l, "attn_norm", 0, ex);
            int[] q = matvec(lw.wq(), xm, ex);
            int[] k = matvec(lw.wk(), xm, ex);
            int[] v = matvec(lw.wv(), xm, ex);
            tv(l, "q", q, q.length);
            tv(l, "k", k, k.length);
            tv(l, "v", v, v.length);
            int[] qm = new int[q.length];
            int[] eq = new int[s.heads()];
            for (int hh = 0; hh < s.heads(); hh++) {
                eq[hh] = IntOps.headBfp(q, hh * hd, hd, qm, hh * hd);
                IntOps.rope(qm, hh * hd, hd, rope.cos(), rope.sin(), pos * (hd / 2));
                te(l, "q_rope", hh, eq[hh]);
            }
            tv(l, "q_rope", qm, qm.length);
            int[] kr = new int[k.length];
            int[] vr = new int[v.length];
            for (int g = 0; g < s.kvHeads(); g++) {
                int[] km = new int[hd];
                int[] vm = new int[hd];
                ek[l][g][pos] = IntOps.headBfp(k, g * hd, hd, km, 0);
                IntOps.rope(km, 0, hd, rope.cos(), rope.sin(), pos * (hd / 2));
                ev[l][g][pos] = IntOps.headBfp(v, g * hd, hd, vm, 0);
                kc[l][g][pos] = km;
                vc[l][g][pos] = vm;
                System.arraycopy(km, 0, kr, g * hd, hd);
                System.arraycopy(vm, 0, vr, g * hd, hd);
                te(l, "k_rope", g, ek[l][g][pos]);
                te(l, "v_head", g, ev[l][g][pos]);
            }
            tv(l, "k_rope", kr, kr.length);
            tv(l, "v_head", vr, vr.length);
            int[] att = new int[s.heads() * hd];
            for (int hh = 0; hh < s.heads(); hh++) {
                int g = hh / s.groupSize();
                IntOps.attention(qm, hh * hd, eq[hh], kc[l][g], ek[l][g], vc[l][g], ev[l][g], pos, hd,
                        score.m(), score.k(), exp2, recip, att, hh * hd);
            }
            tv(l, "attn", att, att.length);
            int ea = IntOps.toBfp(att, 0, att.length, IntOps.MANT_BITS, xm, 0) - IntOps.Q;
            tv(l, "attn_bfp", xm, att.length);
            te(l, "attn_bfp", 0, ea);
            int[] o = matvec(lw.wo(), xm, ea);
            tv(l, "o", o, d);
            IntOps.residualAdd(h, o, d);
            tv(l, "resid_attn", h, d);
            ex = IntOps.rmsnorm(h, d, lw.ffnGain().g(), lw.ffnGain().gk(), m.epsTab(), rsqrt, xm);
            tv(l, "ffn_norm", xm, d);
            te(l, "ffn_norm", 0, ex);
            int[] gate = matvec(lw.wGate(), xm, ex);
            int[] up = matvec(lw.wUp(), xm, ex);
            tv(l, "gate", gate, gate.length);
            tv(l, "up", up, up.length);
            int eg = IntOps.glu(gate, up, s.intermediate(), m.gateTab(), xm);
            tv(l, "glu", xm, s.intermediate());
            te(l, "glu", 0, eg);
            int[] down = matvec(lw.wDown(), xm, eg);
            tv(l, "down", down, d);
            IntOps.residualAdd(h, down, d);
            tv(l, "resid", h, d);
        }
        int ef = IntOps.rmsnorm(h, d, m.finalGain().g(), m.finalGain().gk(), m.epsTab(), rsqrt, xm);
        tv(s.layers(), "final_norm", xm, d);
        te(s.layers(), "final_norm", 0, ef);
        int[] logits = matvec(m.lmHead(), xm, ef);
        tv(s.layers(), "logits", logits, logits.length);
        return logits;
    }

    private static int[] matvec(QMatrix w, int[] x, int e) {
        int[] y = new int[w.rows()];
        for (int r = 0; r < w.rows(); r++) {
            y[r] = IntOps.matvecRow(w.q(), r * w.cols(), x, w.cols(), e, w.m()[r], w.k()[r], w.bias()[r]);
        }
        return y;
    }
}
