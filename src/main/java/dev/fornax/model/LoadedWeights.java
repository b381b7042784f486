package dev.fornax.model;

import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import java.util.List;
import java.util.Objects;

/**
 * Weights as the loaders build them: matrices are memory-mapped views (nothing decoded up front),
 * vectors (norms, biases) are small and already decoded and checked to be finite.
 *
 * <p>{@link #close()} only drops this object's use of the mappings: Java 17 has no supported way
 * to unmap, and unmapping while another thread still reads a row would crash the JVM, so the
 * mappings go when the garbage collector frees the buffers.
 *
 * @param format  where the weights came from, e.g. "hf-safetensors" or "llama2c"
 * @param storage the stored element types, e.g. "BF16" or "F32"
 */
public record LoadedWeights(
        ModelSpec spec,
        Matrix embedding,
        Matrix lmHead,
        float[] finalNorm,
        List<LayerWeights> layers,
        String format,
        String storage,
        int tensorCount)
        implements ModelWeights {

    public LoadedWeights {
        Objects.requireNonNull(spec);
        layers = List.copyOf(layers);
        if (layers.size() != spec.layers()) {
            throw new IllegalArgumentException(layers.size() + " layers for a spec of " + spec.layers());
        }
    }

    @Override
    public LayerWeights layer(int index) {
        return layers.get(index);
    }

    @Override
    public void close() {
        // See the class comment: mappings are released by the garbage collector.
    }
}
