package dev.fornax.engine;

import dev.fornax.FornaxException;
import dev.fornax.golden.Int8Engine;
import dev.fornax.model.LoadedModel;
import dev.fornax.quant.Quantizer;
import dev.fornax.quant.WeightFormat;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The engines the CLI's {@code --engine} can name. Each later engine (int8 golden model, RTL in
 * simulation) adds one entry to {@link #FACTORIES}.
 */
public final class Engines {
    private Engines() {}

    /** Builds an engine for a loaded model; the engine does not own the model (the caller closes it). */
    @FunctionalInterface
    public interface Factory {
        Engine create(LoadedModel model);
    }

    public static final String DEFAULT = "float";

    /**
     * System property choosing where the float engine keeps its weights: {@code cached},
     * {@code streaming} or {@code auto} (default); see {@link FloatEngine.WeightMode}.
     */
    public static final String FLOAT_WEIGHTS_PROPERTY = "fornax.float.weights";

    /** The integer golden model's name; {@link #INT8} is its alias for 8-bit weights. */
    public static final String INT = "int";
    public static final String INT8 = "int8";

    private static final Map<String, Factory> FACTORIES = new TreeMap<>(Map.of(
            "float", Engines::floatEngine,
            // The integer golden model (docs/NUMERICS.md): quantised for the model's full context.
            INT, model -> integer(model, WeightFormat.INT8),
            INT8, model -> integer(model, WeightFormat.INT8)));

    /** The integer golden model of {@code model} with weights in {@code format}, for its full context. */
    public static Engine integer(LoadedModel model, WeightFormat format) {
        return new Int8Engine(Quantizer.quantize(model.weights(), format), Parallel.ofAvailableProcessors());
    }

    /**
     * The factory of {@code name} with the weight format of {@code --weight-bits/--group-size}: only
     * the integer engine {@code int} takes another format than INT8 ({@code int8} is 8-bit by name).
     *
     * @throws FornaxException for an unknown name or a format the engine cannot take
     */
    public static Factory factory(String name, WeightFormat format) {
        Factory f = factory(name);
        if (!format.int4()) {
            return f;
        }
        if (!name.equals(INT)) {
            throw new FornaxException("--weight-bits 4 needs --engine " + INT + " (the integer golden model), not '"
                    + name + "'" + (name.equals(INT8) ? ", which is 8-bit by name" : ""));
        }
        return model -> integer(model, format);
    }

    private static Engine floatEngine(LoadedModel model) {
        String mode = System.getProperty(FLOAT_WEIGHTS_PROPERTY, "auto");
        FloatEngine.WeightMode m;
        try {
            m = FloatEngine.WeightMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FornaxException("-D" + FLOAT_WEIGHTS_PROPERTY + "=" + mode
                    + " is not one of cached, streaming, auto");
        }
        return new FloatEngine(model.weights(), m, Parallel.ofAvailableProcessors());
    }

    /** The known engine names, sorted. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(FACTORIES.keySet());
    }

    /** @throws FornaxException naming the known engines when {@code name} is not one of them */
    public static Factory factory(String name) {
        Factory f = FACTORIES.get(name);
        if (f == null) {
            throw new FornaxException("unknown engine '" + name + "'; known engines: " + String.join(", ", names()));
        }
        return f;
    }

    public static Engine create(String name, LoadedModel model) {
        return factory(name).create(model);
    }
}
