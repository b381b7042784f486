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

    RefInt8Engine(RtlModel m, int context) {
        this.m = m;
        this.s = m.spec();
        kc = new int[s.layers()][s.kvHeads()][context][];
        vc = new int[s.layers()][s.kvHeads()][context][];
        ek = new int[s.layers()][s.kvHeads()][context];
        ev = new int[s.layers()][s.kvHeads()][context];
        rope = Tables.RopeTables.of(s.rope().inverseFrequencies(s.headDim()), context);
        score = Tables.scoreScale(s.headDim());
    }

    int[] step(int tok, int pos) {
        int d = s.hidden();
        int hd = s.headDim();
        int[] h = new int[d];
        QMatrix e = m.embedding();
        IntOps.embed(e.q(), tok * d, d, e.m()[tok], e.k()[tok], h);
        int[] xm = new int[Math.max(d, Math.max(s.intermediate(), s.heads() * hd))];
        for (int l = 0; l < s.layers(); l++) {
            RtlModel.Layer lw = m.layers().get(l);
            int ex = IntOps.rmsnorm(h, d, lw.attnGain().g(), lw.attnGain().gk(), m.epsTab(), rsqrt, xm);
            int[] q = matvec(lw.wq(), xm, ex);
            int[] k = matvec(lw.wk(), xm, ex);
            int[] v = matvec(lw.wv(), xm, ex);
            int[] qm = new int[q.length];
            int[] eq = new int[s.heads()];
            for (int hh = 0; hh < s.heads(); hh++) {
                eq[hh] = IntOps.headBfp(q, hh * hd, hd, qm, hh * hd);
                IntOps.rope(qm, hh * hd, hd, rope.cos(), rope.sin(), pos * (hd / 2));
            }
            for (int g = 0; g < s.kvHeads(); g++) {
                int[] km = new int[hd];
                int[] vm = new int[hd];
                ek[l][g][pos] = IntOps.headBfp(k, g * hd, hd, km, 0);
                IntOps.rope(km, 0, hd, rope.cos(), rope.sin(), pos * (hd / 2));
                ev[l][g][pos] = IntOps.headBfp(v, g * hd, hd, vm, 0);
                kc[l][g][pos] = km;
                vc[l][g][pos] = vm;
            }
            int[] att = new int[s.heads() * hd];
            for (int hh = 0; hh < s.heads(); hh++) {
                int g = hh / s.groupSize();
                IntOps.attention(qm, hh * hd, eq[hh], kc[l][g], ek[l][g], vc[l][g], ev[l][g], pos, hd,
                        score.m(), score.k(), exp2, recip, att, hh * hd);
            }
            int ea = IntOps.toBfp(att, 0, att.length, IntOps.MANT_BITS, xm, 0) - IntOps.Q;
            IntOps.residualAdd(h, matvec(lw.wo(), xm, ea), d);
            ex = IntOps.rmsnorm(h, d, lw.ffnGain().g(), lw.ffnGain().gk(), m.epsTab(), rsqrt, xm);
            int[] gate = matvec(lw.wGate(), xm, ex);
            int[] up = matvec(lw.wUp(), xm, ex);
            int eg = IntOps.glu(gate, up, s.intermediate(), m.gateTab(), xm);
            IntOps.residualAdd(h, matvec(lw.wDown(), xm, eg), d);
        }
        int ef = IntOps.rmsnorm(h, d, m.finalGain().g(), m.finalGain().gk(), m.epsTab(), rsqrt, xm);
        return matvec(m.lmHead(), xm, ef);
    }

    private static int[] matvec(QMatrix w, int[] x, int e) {
        int[] y = new int[w.rows()];
        for (int r = 0; r < w.rows(); r++) {
            y[r] = IntOps.matvecRow(w.q(), r * w.cols(), x, w.cols(), e, w.m()[r], w.k()[r], w.bias()[r]);
        }
        return y;
    }
}
