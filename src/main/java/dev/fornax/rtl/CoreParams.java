package dev.fornax.rtl;

import dev.fornax.golden.Tables;
import dev.fornax.ir.ModelSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Verilog parameters of {@code fornax_core} for one model and option set: dimensions and the
 * address widths derived from them (each wide enough for its value range, and at least the minimum
 * the library modules slice with).
 */
public record CoreParams(Map<String, Long> values) {

    public static CoreParams of(ModelSpec s, Tables.Scale score, int lanes, int context, int programLength,
            long gainWords) {
        Map<String, Long> p = new LinkedHashMap<>();
        int d = s.hidden();
        int inter = s.intermediate();
        int h = s.heads();
        int kv = s.kvHeads();
        int hd = s.headDim();
        int qd = h * hd;
        int xmax = Math.max(d, Math.max(inter, qd));
        long xd = (xmax + lanes - 1) / lanes;
        long sd = Math.max((long) qd + 2L * kv * hd, 2L * inter);
        long cd = (long) s.layers() * kv * context;
        int eaw = bits(xmax + 1);
        p.put("LANES", (long) lanes);
        p.put("LOG2L", (long) log2(lanes));
        p.put("D", (long) d);
        p.put("I", (long) inter);
        p.put("H", (long) h);
        p.put("KV", (long) kv);
        p.put("HD", (long) hd);
        p.put("LOG2HD", (long) bits(hd - 1));
        p.put("CTX", (long) context);
        p.put("VOCAB", (long) s.vocab());
        p.put("TOK_W", (long) tokenWidth(s.vocab()));
        p.put("NPROG", (long) programLength);
        p.put("PGAW", (long) Math.max(1, bits(programLength - 1)));
        p.put("XD", xd);
        p.put("XAW", (long) Math.max(1, bits(xd - 1)));
        p.put("EAW", (long) eaw);
        p.put("SD", sd);
        p.put("SAW", (long) Math.max(Math.max(bits(sd - 1), eaw), 8));
        p.put("HAW", (long) bits(h + 1));
        p.put("PAW", (long) bits(context + 1));
        p.put("LAYERS", (long) s.layers());
        p.put("CAW", (long) Math.max(Math.max(bits(cd - 1), bits(context + 1)), Math.max(bits(h + 1), 8)));
        long rtab = (long) context * (hd / 2);
        p.put("RAW", (long) Math.max(Math.max(bits(rtab - 1), bits(context + 1)), 8));
        p.put("NGAIN", gainWords);
        p.put("GAW", (long) Math.max(1, bits(gainWords - 1)));
        p.put("MC", (long) score.m());
        p.put("KC", (long) score.k());
        return new CoreParams(p);
    }

    public long get(String name) {
        return values.get(name);
    }

    /** Bits needed to represent 0..v (at least 1). */
    public static int bits(long v) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(Math.max(v, 1)));
    }

    public static int log2(int powerOfTwo) {
        return Integer.numberOfTrailingZeros(powerOfTwo);
    }

    public static int tokenWidth(int vocab) {
        return Math.max(1, bits(vocab - 1));
    }
}
