package dev.fornax.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-op vectors of a run, keyed by (position, layer, op), so a divergence between hardware and
 * golden model can be located to its first layer and op. The RTL reports its vectors in trace
 * builds (Verilog define FORNAX_TRACE) as lines on stdout (docs/SIMULATION.md):
 * <pre>
 *   FXT pos layer op index value      one element of a vector
 *   FXE pos layer op block exponent   the exponent of one block (per vector or per head)
 * </pre>
 * with op one of the golden model's trace keys (dev.fornax.golden.TraceOp: embed, attn_norm, q, ...)
 * and layer −1 for the embedding, L for the final norm and logits.
 */
public final class OpTrace {
    /** Receives a golden model's vectors; arrays are copied. */
    @FunctionalInterface
    public interface Sink {
        void on(int position, int layer, String op, int[] values, int[] exponents);
    }

    public record Key(int position, int layer, String op) {}

    /** A vector; entries the RTL did not report are absent (null). */
    public static final class Vec {
        final Map<Integer, Integer> values = new HashMap<>();
        final Map<Integer, Integer> exponents = new HashMap<>();
    }

    private final Map<Key, Vec> vectors = new LinkedHashMap<>();

    public Map<Key, Vec> vectors() {
        return vectors;
    }

    /** A sink that records a golden run in execution order. */
    public Sink recorder() {
        return (pos, layer, op, values, exps) -> {
            Vec v = vectors.computeIfAbsent(new Key(pos, layer, op), k -> new Vec());
            for (int i = 0; i < values.length; i++) {
                v.values.put(i, values[i]);
            }
            for (int i = 0; i < exps.length; i++) {
                v.exponents.put(i, exps[i]);
            }
        };
    }

    /** Parses the RTL's FXT/FXE lines; other lines are ignored. Returns the number of lines used. */
    public int parse(List<String> lines) {
        int used = 0;
        for (String line : lines) {
            boolean value = line.startsWith("FXT ");
            if (!value && !line.startsWith("FXE ")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length != 6) {
                continue;
            }
            try {
                Key k = new Key(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3]);
                int idx = Integer.parseInt(f[4]);
                int val = (int) Long.parseLong(f[5]);
                Vec v = vectors.computeIfAbsent(k, kk -> new Vec());
                (value ? v.values : v.exponents).put(idx, val);
                used++;
            } catch (NumberFormatException e) {
                // not a trace line after all
            }
        }
        return used;
    }

    /** The first difference, in the golden model's execution order. */
    public record Difference(Key key, boolean exponent, int index, Integer rtl, int golden) {
        public String describe() {
            return "position " + key.position() + ", layer " + key.layer() + ", op " + key.op() + ", "
                    + (exponent ? "exponent of block " : "index ") + index + ": rtl "
                    + (rtl == null ? "(not reported)" : rtl) + ", golden " + golden;
        }
    }

    /** The result of a comparison: the first difference (or null) and what was compared. */
    public record Comparison(Difference first, List<Key> compared, List<Key> missing) {}

    /**
     * Walks the golden vectors in order; a vector the RTL did not report at all is listed as
     * missing and skipped, a partially reported vector is a difference at its first gap.
     */
    public static Comparison compare(OpTrace golden, OpTrace rtl) {
        List<Key> compared = new ArrayList<>();
        List<Key> missing = new ArrayList<>();
        for (Map.Entry<Key, Vec> e : golden.vectors.entrySet()) {
            Vec r = rtl.vectors.get(e.getKey());
            if (r == null) {
                missing.add(e.getKey());
                continue;
            }
            compared.add(e.getKey());
            Vec g = e.getValue();
            for (int i = 0; i < g.values.size(); i++) {
                Integer rv = r.values.get(i);
                if (!Objects.equals(rv, g.values.get(i))) {
                    return new Comparison(new Difference(e.getKey(), false, i, rv, g.values.get(i)), compared, missing);
                }
            }
            // Q16 vectors have a fixed exponent; the RTL may report exponents only for BFP vectors
            for (int i = 0; i < g.exponents.size() && !r.exponents.isEmpty(); i++) {
                Integer rv = r.exponents.get(i);
                if (!Objects.equals(rv, g.exponents.get(i))) {
                    return new Comparison(new Difference(e.getKey(), true, i, rv, g.exponents.get(i)), compared, missing);
                }
            }
        }
        return new Comparison(null, compared, missing);
    }
}
