package dev.fornax.sim;

import dev.fornax.golden.Int8Engine;
import dev.fornax.ir.ModelSpec;
import dev.fornax.model.LoadedModel;
import dev.fornax.quant.Quantizer;
import dev.fornax.quant.WeightFormat;

/**
 * The integer golden model as the reference of a verification: the same {@link Quantizer} run
 * the compiler used (quantised for the design's context), stepped by {@link Int8Engine}.
 */
public final class Int8Reference implements GoldenReference {
    private final Int8Engine engine;

    public Int8Reference(LoadedModel model, int context) {
        this(model, context, WeightFormat.INT8);
    }

    /** The golden model in the design's weight format (manifest key weight_format; INT8 when absent). */
    public Int8Reference(LoadedModel model, int context, WeightFormat format) {
        this.engine = new Int8Engine(Quantizer.quantize(model.weights(), context, format));
    }

    /** The weight format a design's manifest names: {@code weight_format {bits, group_size}}, INT8 when absent. */
    public static WeightFormat formatOf(com.fasterxml.jackson.databind.JsonNode manifest) {
        com.fasterxml.jackson.databind.JsonNode f = manifest == null ? null : manifest.get("weight_format");
        if (f == null || !f.isObject()) {
            return WeightFormat.INT8;
        }
        int bits = f.path("bits").asInt(8);
        return bits == 4 ? new WeightFormat(4, f.path("group_size").asInt(0)) : WeightFormat.of(bits, null);
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
