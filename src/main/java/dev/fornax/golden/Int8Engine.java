package dev.fornax.golden;

import dev.fornax.FornaxException;
import dev.fornax.engine.Engine;
import dev.fornax.engine.Parallel;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.KernelTables;
import dev.fornax.quant.QuantLayer;
import dev.fornax.quant.QuantMatrix;
import dev.fornax.quant.QuantizedModel;
import java.util.Arrays;

/**
 * The integer golden model: the program of docs/NUMERICS.md, one token at a time, built only from
 * the kernels of {@link IntOps} and the integers of a {@link QuantizedModel}. The RTL must
 * reproduce {@link #rawLogits()} bit for bit; {@link #step} reports them dequantised (L/2^16).
 *
 * <p>Nothing here depends on hardware parameters (lanes, threads): matrix rows are computed
 * independently, so the thread count only changes speed.
 */
public final class Int8Engine implements Engine, RawLogits {

    /**
     * Receives every intermediate vector of a step (see {@link TraceOp} for the points). The arrays
     * belong to the engine and are only valid during the call. Values are {@code values[i]·2^e}
     * with {@code e = exponents[i / (values.length / exponents.length)]} (one exponent per equal
     * block: per vector, or per head for the BFP14 head vectors).
     *
     * @param layer the decoder layer, −1 for the embedding, {@code layers} for the final norm and logits
     */
    @FunctionalInterface
    public interface Trace {
        void on(int layer, TraceOp op, int[] values, int[] exponents);
    }

    private static final int[] Q16_EXP = {-IntOps.Q};

    private final QuantizedModel model;
    private final ModelSpec spec;
    private final KernelTables tab;
    /** Below this many multiply-accumulates a matrix is computed on the calling thread alone. */
    private static final long PARALLEL_MIN_WORK = 1 << 15;

    private final Parallel parallel;
    private final int d;
    private final int hd;
    private final int half;
    private final int qDim;
    private final int kvDim;
    private final int group;

    // KV cache per layer and kv head: BFP14 mantissas per position, plus one exponent per position.
    private final int[][][][] keys;
    private final int[][][][] values;
    private final int[][][] keyExp;
    private final int[][][] valueExp;

    // Scratch, reused by every step.
    private final int[] h;
    private final int[] xm;
    private final int[] q;
    private final int[] k;
    private final int[] v;
    private final int[] qm;
    private final int[] km;
    private final int[] vm;
    private final int[] eq;
    private final int[] ek;
    private final int[] ev;
    private final int[] att;
    private final int[] attM;
    private final int[] proj;
    private final int[] gate;
    private final int[] up;
    private final int[] gluM;
    private final int[] logits;

    private Trace trace;
    private int position;

    /** An engine using one thread per available processor. */
    public Int8Engine(QuantizedModel model) {
        this(model, Parallel.ofAvailableProcessors());
    }

    public Int8Engine(QuantizedModel model, int threads) {
        this(model, new Parallel(threads));
    }

    /** @param parallel owned by the engine from now on: {@link #close()} shuts it down */
    public Int8Engine(QuantizedModel model, Parallel parallel) {
        this.model = model;
        this.spec = model.spec();
        this.tab = model.tables();
        this.parallel = parallel;
        this.d = spec.hidden();
        this.hd = spec.headDim();
        this.half = hd / 2;
        this.qDim = spec.heads() * hd;
        this.kvDim = spec.kvHeads() * hd;
        this.group = spec.groupSize();
        int layers = spec.layers();
        int kvh = spec.kvHeads();
        this.keys = new int[layers][kvh][][];
        this.values = new int[layers][kvh][][];
        this.keyExp = new int[layers][kvh][];
        this.valueExp = new int[layers][kvh][];
        int initial = Math.min(model.context(), 64);
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < kvh; j++) {
                keys[l][j] = new int[initial][];
                values[l][j] = new int[initial][];
                keyExp[l][j] = new int[initial];
                valueExp[l][j] = new int[initial];
            }
        }
        int inter = spec.intermediate();
        h = new int[d];
        xm = new int[Math.max(d, qDim)];
        q = new int[qDim];
        k = new int[kvDim];
        v = new int[kvDim];
        qm = new int[qDim];
        km = new int[kvDim];
        vm = new int[kvDim];
        eq = new int[spec.heads()];
        ek = new int[kvh];
        ev = new int[kvh];
        att = new int[qDim];
        attM = new int[qDim];
        proj = new int[d];
        gate = new int[inter];
        up = new int[inter];
        gluM = new int[inter];
        logits = new int[spec.vocab()];
    }

    public QuantizedModel model() {
        return model;
    }

    /** Installs (or with null removes) the per-op trace hook. */
    public void setTrace(Trace trace) {
        this.trace = trace;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public void reset() {
        position = 0;
    }

    @Override
    public int position() {
        return position;
    }

    /** Logits dequantised: L/2^16. */
    @Override
    public float[] step(int token) {
        int[] raw = stepRaw(token);
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = raw[i] / 65536f;
        }
        return out;
    }

    /** The Q16 logits of the last step (a copy). */
    @Override
    public int[] rawLogits() {
        return logits.clone();
    }

    /** Consumes one token; returns the engine's Q16 logits array (overwritten by the next step). */
    public int[] stepRaw(int token) {
        if (token < 0 || token >= spec.vocab()) {
            throw new FornaxException("token id " + token + " is outside the vocabulary [0, " + spec.vocab() + ")");
        }
        int pos = position;
        if (pos >= model.context()) {
            throw new FornaxException("position " + pos + " is beyond the quantised context of "
                    + model.context() + " positions");
        }
        QuantMatrix emb = model.embedding();
        IntOps.embed(emb.data(), emb.offset(token), d, emb.scaleM()[token], emb.scaleK()[token], h);
        emit(-1, TraceOp.EMBED, h, Q16_EXP);
        for (int l = 0; l < spec.layers(); l++) {
            attentionBlock(l, model.layers().get(l), pos);
            mlpBlock(l, model.layers().get(l));
        }
        int top = spec.layers();
        Tables.Gain fn = model.finalNorm();
        int xe = IntOps.rmsnorm(h, d, fn.g(), fn.gk(), tab.eps(), tab.rsqrt(), xm);
        emit(top, TraceOp.FINAL_NORM, xm, d, xe);
        matvec(model.lmHead(), xm, xe, null, logits);
        emit(top, TraceOp.LOGITS, logits, Q16_EXP);
        position = pos + 1;
        return logits;
    }

    private void attentionBlock(int l, QuantLayer layer, int pos) {
        int xe = IntOps.rmsnorm(h, d, layer.attnNorm().g(), layer.attnNorm().gk(), tab.eps(), tab.rsqrt(), xm);
        emit(l, TraceOp.ATTN_NORM, xm, d, xe);
        matvec(layer.wq(), xm, xe, layer.bq(), q);
        matvec(layer.wk(), xm, xe, layer.bk(), k);
        matvec(layer.wv(), xm, xe, layer.bv(), v);
        emit(l, TraceOp.Q, q, Q16_EXP);
        emit(l, TraceOp.K, k, Q16_EXP);
        emit(l, TraceOp.V, v, Q16_EXP);

        Tables.RopeTables rope = tab.rope();
        int ropeOff = pos * half;
        Tables.Gain qn = layer.qNorm();
        Tables.Gain kn = layer.kNorm();
        for (int j = 0; j < spec.heads(); j++) {
            eq[j] = qn == null ? IntOps.headBfp(q, j * hd, hd, qm, j * hd)
                    : IntOps.headRmsnorm(q, j * hd, hd, qn.g(), qn.gk(), tab.epsHead(), tab.rsqrt(), qm, j * hd);
        }
        for (int j = 0; j < spec.kvHeads(); j++) {
            ek[j] = kn == null ? IntOps.headBfp(k, j * hd, hd, km, j * hd)
                    : IntOps.headRmsnorm(k, j * hd, hd, kn.g(), kn.gk(), tab.epsHead(), tab.rsqrt(), km, j * hd);
            ev[j] = IntOps.headBfp(v, j * hd, hd, vm, j * hd);
        }
        emit(l, TraceOp.Q_HEAD, qm, eq);
        emit(l, TraceOp.K_HEAD, km, ek);
        for (int j = 0; j < spec.heads(); j++) {
            IntOps.rope(qm, j * hd, hd, rope.cos(), rope.sin(), ropeOff);
        }
        for (int j = 0; j < spec.kvHeads(); j++) {
            IntOps.rope(km, j * hd, hd, rope.cos(), rope.sin(), ropeOff);
        }
        emit(l, TraceOp.Q_ROPE, qm, eq);
        emit(l, TraceOp.K_ROPE, km, ek);
        emit(l, TraceOp.V_HEAD, vm, ev);
        for (int j = 0; j < spec.kvHeads(); j++) {
            ensureCapacity(l, j, pos);
            keys[l][j][pos] = Arrays.copyOfRange(km, j * hd, (j + 1) * hd);
            values[l][j][pos] = Arrays.copyOfRange(vm, j * hd, (j + 1) * hd);
            keyExp[l][j][pos] = ek[j];
            valueExp[l][j][pos] = ev[j];
        }

        Tables.Scale sc = tab.score();
        for (int j = 0; j < spec.heads(); j++) {
            int kv = j / group; // HF repeat_kv: query head j reads kv head j / (H/KV)
            IntOps.attention(qm, j * hd, eq[j], keys[l][kv], keyExp[l][kv], values[l][kv], valueExp[l][kv], pos,
                    hd, sc.m(), sc.k(), tab.exp2(), tab.recip(), att, j * hd);
        }
        emit(l, TraceOp.ATTN, att, Q16_EXP);
        int ae = IntOps.toBfp(att, 0, qDim, IntOps.MANT_BITS, attM, 0) - IntOps.Q;
        emit(l, TraceOp.ATTN_BFP, attM, qDim, ae);
        matvec(layer.wo(), attM, ae, null, proj);
        emit(l, TraceOp.O, proj, Q16_EXP);
        IntOps.residualAdd(h, proj, d);
        emit(l, TraceOp.RESID_ATTN, h, Q16_EXP);
    }

    private void mlpBlock(int l, QuantLayer layer) {
        int xe = IntOps.rmsnorm(h, d, layer.ffnNorm().g(), layer.ffnNorm().gk(), tab.eps(), tab.rsqrt(), xm);
        emit(l, TraceOp.FFN_NORM, xm, d, xe);
        matvec(layer.wGate(), xm, xe, null, gate);
        matvec(layer.wUp(), xm, xe, null, up);
        emit(l, TraceOp.GATE, gate, Q16_EXP);
        emit(l, TraceOp.UP, up, Q16_EXP);
        int ge = IntOps.glu(gate, up, gate.length, tab.gate(), gluM);
        emit(l, TraceOp.GLU, gluM, gluM.length, ge);
        matvec(layer.wDown(), gluM, ge, null, proj);
        emit(l, TraceOp.DOWN, proj, Q16_EXP);
        IntOps.residualAdd(h, proj, d);
        emit(l, TraceOp.RESID, h, Q16_EXP);
    }

    /** y = W·x (BFP mantissas x, exponent e) + bias, Q16; rows split over the worker threads. */
    private void matvec(QuantMatrix w, int[] x, int e, int[] bias, int[] out) {
        byte[] data = w.data();
        int cols = w.cols();
        int[] sm = w.scaleM();
        int[] sk = w.scaleK();
        Parallel.RangeBody body = (from, to, worker) -> {
            for (int r = from; r < to; r++) {
                out[r] = IntOps.matvecRow(data, r * cols, x, cols, e, sm[r], sk[r], bias == null ? 0 : bias[r]);
            }
        };
        if ((long) w.rows() * cols < PARALLEL_MIN_WORK) {
            body.run(0, w.rows(), 0);
        } else {
            parallel.forRange(w.rows(), body);
        }
    }

    private void ensureCapacity(int l, int j, int pos) {
        if (pos < keys[l][j].length) {
            return;
        }
        int n = (int) Math.min(model.context(), Math.max(pos + 1L, 2L * keys[l][j].length));
        keys[l][j] = Arrays.copyOf(keys[l][j], n);
        values[l][j] = Arrays.copyOf(values[l][j], n);
        keyExp[l][j] = Arrays.copyOf(keyExp[l][j], n);
        valueExp[l][j] = Arrays.copyOf(valueExp[l][j], n);
    }

    private void emit(int layer, TraceOp op, int[] vals, int[] exps) {
        if (trace != null) {
            trace.on(layer, op, vals, exps);
        }
    }

    private void emit(int layer, TraceOp op, int[] vals, int n, int exp) {
        if (trace != null) {
            trace.on(layer, op, vals.length == n ? vals : Arrays.copyOf(vals, n), new int[] {exp});
        }
    }

    @Override
    public void close() {
        parallel.close();
    }
}
