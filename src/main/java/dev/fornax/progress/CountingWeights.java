package dev.fornax.progress;

import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;

/**
 * Model weights that count the matrix rows read from them into a {@link Progress}: the compiler
 * reads every row of every matrix once, so rows read ÷ rows of the model is how far it is, without
 * a hook in the quantiser. Everything else is the wrapped weights'.
 */
public final class CountingWeights implements ModelWeights {
    private final ModelWeights w;
    private final Progress progress;

    public CountingWeights(ModelWeights w, Progress progress) {
        this.w = w;
        this.progress = progress;
    }

    /** Rows of every matrix read once: embedding, seven per layer, an untied lm_head. */
    public static long rows(ModelSpec s) {
        long d = s.hidden();
        long q = (long) s.heads() * s.headDim();
        long kv = (long) s.kvHeads() * s.headDim();
        long perLayer = q + 2 * kv + d + 2L * s.intermediate() + d;
        return s.vocab() * (s.tiedEmbeddings() ? 1L : 2L) + s.layers() * perLayer;
    }

    @Override
    public ModelSpec spec() {
        return w.spec();
    }

    @Override
    public Matrix embedding() {
        return counted(w.embedding());
    }

    @Override
    public Matrix lmHead() {
        return counted(w.lmHead());
    }

    @Override
    public float[] finalNorm() {
        return w.finalNorm();
    }

    @Override
    public LayerWeights layer(int index) {
        LayerWeights l = w.layer(index);
        return new LayerWeights(l.attnNorm(), counted(l.wq()), counted(l.wk()), counted(l.wv()), l.bq(), l.bk(), l.bv(),
                counted(l.wo()), l.ffnNorm(), counted(l.wGate()), counted(l.wUp()), counted(l.wDown()), l.qNorm(),
                l.kNorm());
    }

    @Override
    public void close() {
        w.close();
    }

    private Matrix counted(Matrix m) {
        return m.afterRead(m.name(), (row, dst, offset) -> progress.advance(1));
    }
}
