package dev.fornax.sim;

import dev.fornax.golden.Int8Engine;
import dev.fornax.ir.ModelSpec;
import dev.fornax.model.LoadedModel;
import dev.fornax.quant.Quantizer;

/**
 * The integer golden model as the reference of a verification: the same {@link Quantizer} run
 * the compiler used (quantised for the design's context), stepped by {@link Int8Engine}.
 */
public final class Int8Reference implements GoldenReference {
    private final Int8Engine engine;

    public Int8Reference(LoadedModel model, int context) {
        this.engine = new Int8Engine(Quantizer.quantize(model.weights(), context));
    }

    public ModelSpec spec() {
        return engine.spec();
    }

    @Override
    public void reset() {
        engine.reset();
    }

    @Override
    public int[] stepRaw(int token) {
        return engine.stepRaw(token).clone();
    }

    @Override
    public void setTrace(OpTrace.Sink sink) {
        if (sink == null) {
            engine.setTrace(null);
            return;
        }
        // the hook runs inside step(): the position is the one being computed
        engine.setTrace((layer, op, values, exps) -> sink.on(engine.position(), layer, op.key(), values, exps));
    }

    @Override
    public void close() {
        engine.close();
    }
}
