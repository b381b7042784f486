package dev.fornax.golden;

import dev.fornax.ir.Activation;
import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;

/**
 * Produces the golden vectors of every {@link IntOps} kernel (inputs from a fixed seed plus edge
 * cases, outputs computed by the kernel). Deterministic: the same code gives the same files.
 * Regenerate after a reviewed NUMERICS change with
 * {@code java -cp target/classes:target/test-classes dev.fornax.golden.GoldenVectorWriter src/test/resources/golden-vectors}.
 */
public final class GoldenVectorWriter {
    private GoldenVectorWriter() {}

    static final String HEADER = "Fornax numerics v" + IntOps.NUMERICS_VERSION
            + "; format: README.md in this folder; produced by GoldenVectorWriter (kernel outputs, do not edit).";

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden-vectors");
        Files.createDirectories(dir);
        for (var e : files().entrySet()) {
            Path tmp = dir.resolve("." + e.getKey() + ".tmp");
            Files.writeString(tmp, e.getValue(), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(e.getKey()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** File name → content, sorted by name. */
    static TreeMap<String, String> files() {
        TreeMap<String, String> f = new TreeMap<>();
        f.put("tables.txt", tables());
        f.put("requant.txt", requant());
        f.put("to_bfp.txt", toBfp());
        f.put("matvec_row.txt", matvecRow());
        f.put("embed.txt", embed());
        f.put("rmsnorm.txt", rmsnorm());
        f.put("head_bfp.txt", headBfp());
        f.put("rope.txt", rope());
        f.put("exp2neg.txt", exp2neg());
        f.put("recip.txt", recip());
        f.put("attention.txt", attention());
        f.put("activate_silu.txt", activate(Activation.SILU));
        f.put("activate_gelu_tanh.txt", activate(Activation.GELU_TANH));
        f.put("glu_silu.txt", glu(Activation.SILU));
        f.put("glu_gelu_tanh.txt", glu(Activation.GELU_TANH));
        f.put("residual_add.txt", residualAdd());
        f.put("argmax.txt", argmax());
        return f;
    }

    private static GoldenVectorFile.Writer start(String what) {
        return new GoldenVectorFile.Writer().comment(what + "\n" + HEADER);
    }

    static String tables() {
        var w = start("Lookup tables (Tables.java): one table per case, field 'values'.\n"
                + "score_scale_hdN: (M, k) of log2(e)/sqrt(N) for the attention scores.");
        w.begin("rsqrt").field("values", Tables.rsqrt());
        w.begin("exp2").field("values", Tables.exp2());
        w.begin("recip").field("values", Tables.recip());
        w.begin("gate_silu").field("values", Tables.gate(Activation.SILU));
        w.begin("gate_gelu_tanh").field("values", Tables.gate(Activation.GELU_TANH));
        for (int hd : new int[] {8, 16, 32, 64, 128, 256}) {
            Tables.Scale s = Tables.scoreScale(hd);
            w.begin("score_scale_hd" + hd).field("values", s.m(), s.k());
        }
        return w.text();
    }

    static String requant() {
        var w = start("requant(acc, m, sh) -> out (int32, saturating).");
        Random r = new Random(101);
        long[][] edge = {
            {0, 40000, 20}, {3, 32768, 16}, {-3, 32768, 16}, {5, 32768, 17}, {-5, 32768, 17},
            {(1L << 47) - 1, 65535, 40}, {-(1L << 47), 65535, 40}, {(1L << 47) - 1, 65535, 10},
            {113_455_182_352L, 40971, -16}, {-113_455_182_352L, 40971, -16}, {1, 32768, -16},
            {-1, 32768, -16}, {1, 65535, -15}, {12345, 50000, 70}, {(1L << 23), 65536, 30},
            {(1L << 23) + 1, 65535, 30}, {-(1L << 23) - 1, 65535, 30}, {8_388_607, 65535, 7}};
        int i = 0;
        for (long[] e : edge) {
            w.begin("edge" + i++).field("acc", e[0]).field("m", e[1]).field("sh", e[2])
                    .field("out", IntOps.requant(e[0], (int) e[1], (int) e[2]));
        }
        for (int c = 0; c < 40; c++) {
            long acc = r.nextLong() >> (16 + r.nextInt(48));
            int m = (1 << 15) + r.nextInt(1 << 15);
            int sh = r.nextInt(50) - 5;
            w.begin("random" + c).field("acc", acc).field("m", m).field("sh", sh).field("out", IntOps.requant(acc, m, sh));
        }
        return w.text();
    }

    static String toBfp() {
        var w = start("toBfp(v, bits) -> shift s, mantissas m (clampSym(rshr(v, s), bits)).");
        Random r = new Random(102);
        int[][] edge = {
            {0, 0, 0, 0}, {32767, -5, 0, 1}, {32768, -5, 3, 1}, {65535, -65535, 1, 2},
            {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1}, {-32768, 16383, 1, 1}, {16384, -16384, 16383, -16383}};
        int i = 0;
        for (int[] v : edge) {
            for (int bits : new int[] {14, 15}) {
                int[] m = new int[v.length];
                int s = IntOps.toBfp(v, 0, v.length, bits, m, 0);
                w.begin("edge" + i++).field("bits", bits).field("v", v).field("s", s).field("m", m);
            }
        }
        for (int c = 0; c < 20; c++) {
            int n = 1 + r.nextInt(64);
            int[] v = new int[n];
            int mag = 1 + r.nextInt(31);
            for (int j = 0; j < n; j++) {
                v[j] = (int) (r.nextLong() >> (64 - mag));
            }
            int bits = c % 2 == 0 ? 15 : 14;
            int[] m = new int[n];
            int s = IntOps.toBfp(v, 0, n, bits, m, 0);
            w.begin("random" + c).field("bits", bits).field("v", v).field("s", s).field("m", m);
        }
        return w.text();
    }

    static String matvecRow() {
        var w = start("matvecRow(w, x, e, m, k, bias) -> y = sat32(requant(sum w*x, m, k - e - 16) + bias).\n"
                + "w: int8 weights of one row; x: BFP15 mantissas with exponent e.");
        Random r = new Random(103);
        for (int c = 0; c < 30; c++) {
            int cols = new int[] {1, 3, 7, 16, 64, 300}[c % 6];
            byte[] wt = new byte[cols];
            int[] x = new int[cols];
            boolean extreme = c % 10 == 9;
            for (int j = 0; j < cols; j++) {
                wt[j] = extreme ? (byte) -127 : (byte) (r.nextInt(255) - 127);
                x[j] = extreme ? 32767 : r.nextInt(65535) - 32767;
            }
            Tables.Scale s = Tables.Scale.of(Math.exp(r.nextGaussian() * 2) * 2e-3);
            int e = extreme ? 0 : -15 - r.nextInt(8);
            int bias = c % 3 == 0 ? r.nextInt(1 << 18) - (1 << 17) : 0;
            w.begin("case" + c).field("w", wt).field("x", x).field("e", e).field("m", s.m()).field("k", s.k())
                    .field("bias", bias).field("y", IntOps.matvecRow(wt, 0, x, cols, e, s.m(), s.k(), bias));
        }
        return w.text();
    }

    static String embed() {
        var w = start("embed(w, m, k) -> out[c] = requant(w[c], m, k - 16): an int8 row to the Q16 residual.");
        Random r = new Random(104);
        for (int c = 0; c < 10; c++) {
            byte[] wt = new byte[16];
            r.nextBytes(wt);
            wt[0] = -127;
            wt[1] = 127;
            Tables.Scale s = Tables.Scale.of(Math.exp(r.nextGaussian() * 3) * 0.01);
            int[] out = new int[16];
            IntOps.embed(wt, 0, 16, s.m(), s.k(), out);
            w.begin("case" + c).field("w", wt).field("m", s.m()).field("k", s.k()).field("out", out);
        }
        return w.text();
    }

    static String rmsnorm() {
        var w = start("rmsnorm(h, g, gk, eps) -> out (BFP15 mantissas), exp (value = out*2^exp).\n"
                + "h: Q16 residual; g/gk: Tables.Gain; eps: the 18-entry EPS table; RSQRT from tables.txt.");
        Random r = new Random(105);
        int c = 0;
        for (int d : new int[] {8, 16, 64}) {
            for (double sigma : new double[] {0.001, 0.05, 1, 30, 1000}) {
                boolean onePlus = c % 4 == 3;
                int[] h = new int[d];
                float[] g = new float[d];
                for (int i = 0; i < d; i++) {
                    double outlier = c % 3 == 0 && i == 2 ? 80 : 1;
                    h[i] = IntOps.sat32(Math.round(r.nextGaussian() * sigma * outlier * 65536));
                    g[i] = (float) (onePlus ? 0.1 * r.nextGaussian() : 1 + 0.3 * r.nextGaussian());
                }
                rmsCase(w, "d" + d + "_case" + c++, h, g, onePlus, 1e-5);
            }
        }
        float[] ones = new float[8];
        Arrays.fill(ones, 1f);
        rmsCase(w, "all_zero", new int[8], ones, false, 1e-5);
        rmsCase(w, "saturated_min", new int[] {Integer.MIN_VALUE, 1 << 20, -7, 0, 0, 0, 0, Integer.MAX_VALUE}, ones, false, 1e-6);
        rmsCase(w, "one_lsb", new int[] {1, 1, 1, 1, -1, -1, -1, -1}, ones, false, 1e-5);
        return w.text();
    }

    private static void rmsCase(GoldenVectorFile.Writer w, String name, int[] h, float[] gains, boolean onePlus, double eps) {
        int d = h.length;
        Tables.Gain g = Tables.Gain.of(gains, onePlus, d);
        long[] epsTab = Tables.eps(d, eps);
        int[] out = new int[d];
        int e = IntOps.rmsnorm(h, d, g.g(), g.gk(), epsTab, Tables.rsqrt(), out);
        w.begin(name).field("h", h).field("g", g.g()).field("gk", g.gk()).field("eps", epsTab).field("out", out).field("exp", e);
    }

    static String headBfp() {
        var w = start("headBfp(v) -> m (BFP14 mantissas), exp = s - 16.");
        Random r = new Random(106);
        for (int c = 0; c < 12; c++) {
            int n = c % 2 == 0 ? 8 : 16;
            int[] v = new int[n];
            int mag = 2 + r.nextInt(30);
            for (int j = 0; j < n; j++) {
                v[j] = (int) (r.nextLong() >> (64 - mag));
            }
            if (c == 11) {
                v[0] = Integer.MIN_VALUE;
            }
            int[] m = new int[n];
            int e = IntOps.headBfp(v, 0, n, m, 0);
            w.begin("case" + c).field("v", v).field("m", m).field("exp", e);
        }
        return w.text();
    }

    static String rope() {
        var w = start("rope(x, cos, sin) -> out: rotate-half pairs (i, i+hd/2) of BFP14 mantissas x with the\n"
                + "Q14 cos/sin row of one position (hd/2 entries each).");
        Random r = new Random(107);
        int c = 0;
        for (int hd : new int[] {8, 16, 64}) {
            float[] inv = new Rope(10_000, new RopeScaling.None()).inverseFrequencies(hd);
            int context = 4096;
            Tables.RopeTables t = Tables.RopeTables.of(inv, context);
            for (int pos : new int[] {0, 1, 7, 1000, context - 1}) {
                int half = hd / 2;
                int[] x = new int[hd];
                for (int j = 0; j < hd; j++) {
                    x[j] = c % 4 == 3 ? (j % 3 == 0 ? -16383 : 16383) : r.nextInt(32767) - 16383;
                }
                int[] out = x.clone();
                IntOps.rope(out, 0, hd, t.cos(), t.sin(), pos * half);
                w.begin("hd" + hd + "_pos" + pos).field("x", x)
                        .field("cos", Arrays.copyOfRange(t.cos(), pos * half, pos * half + half))
                        .field("sin", Arrays.copyOfRange(t.sin(), pos * half, pos * half + half)).field("out", out);
                c++;
            }
        }
        return w.text();
    }

    static String exp2neg() {
        var w = start("exp2neg(d) -> out = 2^15 * 2^(-d/2^16) by the EXP2 table (d >= 0, Q16 log2 units).");
        Random r = new Random(108);
        long[] d = new long[200];
        long[] fixed = {0, 1, 255, 256, 257, 65535, 65536, 65537, 3 * 65536 + 12345, (30L << 16) + 65535, 31L << 16,
            (31L << 16) + 1, 1L << 40};
        System.arraycopy(fixed, 0, d, 0, fixed.length);
        for (int i = fixed.length; i < d.length; i++) {
            d[i] = (long) (r.nextDouble() * r.nextDouble() * (33L << 16));
        }
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = IntOps.exp2neg(d[i], Tables.exp2());
        }
        w.begin("sweep").field("d", d).field("out", out);
        return w.text();
    }

    static String recip() {
        var w = start("recip(s) -> rc, j with 1/s ~ rc * 2^(-31-j) (s >= 2^15).");
        Random r = new Random(109);
        long[] s = new long[100];
        long[] fixed = {1 << 15, (1 << 15) + 1, (1 << 16) - 1, 1 << 16, (1 << 16) + 127, 3L << 20, (1L << 47) - 1};
        System.arraycopy(fixed, 0, s, 0, fixed.length);
        for (int i = fixed.length; i < s.length; i++) {
            s[i] = (1L << 15) + (long) (Math.exp(r.nextDouble() * 25) * 1000);
        }
        int[] rc = new int[s.length];
        int[] j = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            int[] x = IntOps.recip(s[i], Tables.recip());
            rc[i] = x[0];
            j[i] = x[1];
        }
        w.begin("sweep").field("s", s).field("rc", rc).field("j", j);
        return w.text();
    }

    static String attention() {
        var w = start("attention(q, eq, k, ek, v, ev, mc, kc) -> out (Q16 [hd]) over positions 0..n-1.\n"
                + "q: BFP14 [hd] with exponent eq; k, v: [n*hd] row-major by position with per-position\n"
                + "exponents ek, ev [n]; (mc, kc) = score scale; EXP2, RECIP from tables.txt.");
        Random r = new Random(110);
        int c = 0;
        for (int hd : new int[] {8, 16}) {
            for (int n : new int[] {1, 2, 5, 40, 200}) {
                double qs = new double[] {0.1, 1, 3}[c % 3];
                int[] q = new int[hd];
                int eq = AttentionKernelTest.head(AttentionKernelTest.gauss(r, hd, qs), q);
                int[] k = new int[n * hd];
                int[] v = new int[n * hd];
                int[] ek = new int[n];
                int[] ev = new int[n];
                int[][] k2 = new int[n][hd];
                int[][] v2 = new int[n][hd];
                for (int p = 0; p < n; p++) {
                    ek[p] = AttentionKernelTest.head(AttentionKernelTest.gauss(r, hd, qs), k2[p]);
                    ev[p] = AttentionKernelTest.head(AttentionKernelTest.gauss(r, hd, Math.exp(r.nextGaussian())), v2[p]);
                    System.arraycopy(k2[p], 0, k, p * hd, hd);
                    System.arraycopy(v2[p], 0, v, p * hd, hd);
                }
                Tables.Scale sc = Tables.scoreScale(hd);
                int[] out = new int[hd];
                IntOps.attention(q, 0, eq, k2, ek, v2, ev, n - 1, hd, sc.m(), sc.k(), Tables.exp2(), Tables.recip(), out, 0);
                w.begin("hd" + hd + "_n" + n).field("q", q).field("eq", eq).field("k", k).field("ek", ek).field("v", v)
                        .field("ev", ev).field("mc", sc.m()).field("kc", sc.k()).field("out", out);
                c++;
            }
        }
        return w.text();
    }

    static String activate(Activation a) {
        String name = a == Activation.SILU ? "silu" : "gelu_tanh";
        var w = start("activate(g) with the gate_" + name + " table of tables.txt -> out (Q16 in, Q16 out).");
        Random r = new Random(111);
        int[] g = new int[400];
        int[] fixed = {0, 1, -1, 65536, -65536, (16 << 16) - 1, 16 << 16, -(16 << 16), -(16 << 16) - 1, 2047, 2048,
            -2048, Integer.MAX_VALUE, Integer.MIN_VALUE, 3 << 16, -(3 << 16)};
        System.arraycopy(fixed, 0, g, 0, fixed.length);
        for (int i = fixed.length; i < g.length; i++) {
            g[i] = (int) (r.nextGaussian() * 6 * 65536);
        }
        int[] table = Tables.gate(a);
        int[] out = new int[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = IntOps.activate(g[i], table);
        }
        w.begin("sweep").field("g", g).field("out", out);
        return w.text();
    }

    static String glu(Activation a) {
        String name = a == Activation.SILU ? "silu" : "gelu_tanh";
        var w = start("glu(gate, up) with the gate_" + name + " table -> out (BFP15 mantissas), exp.\n"
                + "gate, up: Q16 [n].");
        Random r = new Random(112);
        int[] table = Tables.gate(a);
        for (int c = 0; c < 10; c++) {
            int n = new int[] {1, 4, 16, 64, 172}[c % 5];
            int[] gate = new int[n];
            int[] up = new int[n];
            double gs = Math.exp(r.nextGaussian() * 2);
            double us = Math.exp(r.nextGaussian() * 2);
            for (int i = 0; i < n; i++) {
                gate[i] = IntOps.sat32(Math.round(r.nextGaussian() * gs * 65536));
                up[i] = IntOps.sat32(Math.round(r.nextGaussian() * us * 65536));
            }
            if (c == 9) {
                gate[0] = Integer.MAX_VALUE;
                up[0] = Integer.MIN_VALUE;
            }
            int[] out = new int[n];
            int e = IntOps.glu(gate, up, n, table, out);
            w.begin("case" + c).field("gate", gate).field("up", up).field("out", out).field("exp", e);
        }
        return w.text();
    }

    static String residualAdd() {
        var w = start("residualAdd(h, x) -> out = sat32(h + x).");
        Random r = new Random(113);
        int[] h = new int[32];
        int[] x = new int[32];
        for (int i = 0; i < 32; i++) {
            h[i] = r.nextInt();
            x[i] = r.nextInt();
        }
        h[0] = Integer.MAX_VALUE;
        x[0] = 1;
        h[1] = Integer.MIN_VALUE;
        x[1] = -1;
        h[2] = Integer.MIN_VALUE;
        x[2] = Integer.MAX_VALUE;
        int[] out = h.clone();
        IntOps.residualAdd(out, x, 32);
        w.begin("case0").field("h", h).field("x", x).field("out", out);
        return w.text();
    }

    static String argmax() {
        var w = start("argmax(x) -> index of the largest value; ties -> lowest index.");
        int[][] cases = {{3, 7, 7, 1}, {-5, -5, -5}, {Integer.MIN_VALUE, Integer.MIN_VALUE + 1}, {Integer.MAX_VALUE, 0,
            Integer.MAX_VALUE}, {0}, {1, 2, 3, 4, 5, 5}};
        int i = 0;
        for (int[] x : cases) {
            w.begin("case" + i++).field("x", x).field("index", IntOps.argmax(x, x.length));
        }
        Random r = new Random(114);
        int[] x = new int[512];
        for (int j = 0; j < x.length; j++) {
            x[j] = r.nextInt(1000) - 500;
        }
        w.begin("random512").field("x", x).field("index", IntOps.argmax(x, x.length));
        return w.text();
    }
}
