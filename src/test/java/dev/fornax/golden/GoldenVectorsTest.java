package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Activation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recomputes every stored golden vector (src/test/resources/golden-vectors) from its inputs with
 * {@link IntOps}: a kernel change that alters any output fails here, and the RTL unit tests read
 * the same files.
 */
class GoldenVectorsTest {
    static final Path DIR = Path.of("src/test/resources/golden-vectors");

    static List<GoldenVectorFile.Case> cases(String file) throws IOException {
        List<GoldenVectorFile.Case> c = GoldenVectorFile.read(DIR.resolve(file));
        assertThat(c).as(file).isNotEmpty();
        return c;
    }

    static int[] table(String name) throws IOException {
        return cases("tables.txt").stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().ints("values");
    }

    @Test
    void tablesAreTheCompilersTables() throws IOException {
        assertThat(table("rsqrt")).containsExactly(Tables.rsqrt());
        assertThat(table("exp2")).containsExactly(Tables.exp2());
        assertThat(table("recip")).containsExactly(Tables.recip());
        assertThat(table("gate_silu")).containsExactly(Tables.gate(Activation.SILU));
        assertThat(table("gate_gelu_tanh")).containsExactly(Tables.gate(Activation.GELU_TANH));
        Tables.Scale s = Tables.scoreScale(64);
        assertThat(table("score_scale_hd64")).containsExactly(s.m(), s.k());
    }

    @Test
    void requant() throws IOException {
        for (var c : cases("requant.txt")) {
            assertThat(IntOps.requant(c.get("acc")[0], c.scalar("m"), c.scalar("sh"))).as(c.name()).isEqualTo(c.scalar("out"));
        }
    }

    @Test
    void toBfp() throws IOException {
        for (var c : cases("to_bfp.txt")) {
            int[] v = c.ints("v");
            int[] m = new int[v.length];
            assertThat(IntOps.toBfp(v, 0, v.length, c.scalar("bits"), m, 0)).as(c.name()).isEqualTo(c.scalar("s"));
            assertThat(m).as(c.name()).containsExactly(c.ints("m"));
        }
    }

    @Test
    void matvecRow() throws IOException {
        for (var c : cases("matvec_row.txt")) {
            int[] wi = c.ints("w");
            byte[] w = new byte[wi.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (byte) wi[i];
            }
            int y = IntOps.matvecRow(w, 0, c.ints("x"), w.length, c.scalar("e"), c.scalar("m"), c.scalar("k"), c.scalar("bias"));
            assertThat(y).as(c.name()).isEqualTo(c.scalar("y"));
        }
    }

    @Test
    void embed() throws IOException {
        for (var c : cases("embed.txt")) {
            int[] wi = c.ints("w");
            byte[] w = new byte[wi.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (byte) wi[i];
            }
            int[] out = new int[w.length];
            IntOps.embed(w, 0, w.length, c.scalar("m"), c.scalar("k"), out);
            assertThat(out).as(c.name()).containsExactly(c.ints("out"));
        }
    }

    @Test
    void rmsnorm() throws IOException {
        int[] rsqrt = table("rsqrt");
        for (var c : cases("rmsnorm.txt")) {
            int[] h = c.ints("h");
            int[] gi = c.ints("g");
            short[] g = new short[gi.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (short) gi[i];
            }
            int[] out = new int[h.length];
            int e = IntOps.rmsnorm(h, h.length, g, c.scalar("gk"), c.get("eps"), rsqrt, out);
            assertThat(out).as(c.name()).containsExactly(c.ints("out"));
            assertThat(e).as(c.name()).isEqualTo(c.scalar("exp"));
        }
    }

    @Test
    void headBfp() throws IOException {
        for (var c : cases("head_bfp.txt")) {
            int[] v = c.ints("v");
            int[] m = new int[v.length];
            assertThat(IntOps.headBfp(v, 0, v.length, m, 0)).as(c.name()).isEqualTo(c.scalar("exp"));
            assertThat(m).as(c.name()).containsExactly(c.ints("m"));
        }
    }

    @Test
    void rope() throws IOException {
        for (var c : cases("rope.txt")) {
            int[] x = c.ints("x");
            short[] cos = shorts(c.ints("cos"));
            short[] sin = shorts(c.ints("sin"));
            IntOps.rope(x, 0, x.length, cos, sin, 0);
            assertThat(x).as(c.name()).containsExactly(c.ints("out"));
        }
    }

    @Test
    void exp2negAndRecip() throws IOException {
        int[] exp2 = table("exp2");
        for (var c : cases("exp2neg.txt")) {
            long[] d = c.get("d");
            int[] out = c.ints("out");
            for (int i = 0; i < d.length; i++) {
                assertThat(IntOps.exp2neg(d[i], exp2)).as("exp2neg(%d)", d[i]).isEqualTo(out[i]);
            }
        }
        int[] recip = table("recip");
        for (var c : cases("recip.txt")) {
            long[] s = c.get("s");
            for (int i = 0; i < s.length; i++) {
                assertThat(IntOps.recip(s[i], recip)).as("recip(%d)", s[i]).containsExactly(c.ints("rc")[i], c.ints("j")[i]);
            }
        }
    }

    @Test
    void attention() throws IOException {
        int[] exp2 = table("exp2");
        int[] recip = table("recip");
        for (var c : cases("attention.txt")) {
            int[] q = c.ints("q");
            int hd = q.length;
            int[] ek = c.ints("ek");
            int n = ek.length;
            int[][] k = rows(c.ints("k"), n, hd);
            int[][] v = rows(c.ints("v"), n, hd);
            int[] out = new int[hd];
            IntOps.attention(q, 0, c.scalar("eq"), k, ek, v, c.ints("ev"), n - 1, hd, c.scalar("mc"), c.scalar("kc"),
                    exp2, recip, out, 0);
            assertThat(out).as(c.name()).containsExactly(c.ints("out"));
        }
    }

    @Test
    void activateAndGlu() throws IOException {
        for (String act : new String[] {"silu", "gelu_tanh"}) {
            int[] table = table("gate_" + act);
            for (var c : cases("activate_" + act + ".txt")) {
                int[] g = c.ints("g");
                int[] out = c.ints("out");
                for (int i = 0; i < g.length; i++) {
                    assertThat(IntOps.activate(g[i], table)).as("%s(%d)", act, g[i]).isEqualTo(out[i]);
                }
            }
            for (var c : cases("glu_" + act + ".txt")) {
                int[] gate = c.ints("gate");
                int[] out = new int[gate.length];
                int e = IntOps.glu(gate, c.ints("up"), gate.length, table, out);
                assertThat(out).as(c.name()).containsExactly(c.ints("out"));
                assertThat(e).as(c.name()).isEqualTo(c.scalar("exp"));
            }
        }
    }

    @Test
    void residualAddAndArgmax() throws IOException {
        for (var c : cases("residual_add.txt")) {
            int[] h = c.ints("h");
            IntOps.residualAdd(h, c.ints("x"), h.length);
            assertThat(h).as(c.name()).containsExactly(c.ints("out"));
        }
        for (var c : cases("argmax.txt")) {
            int[] x = c.ints("x");
            assertThat(IntOps.argmax(x, x.length)).as(c.name()).isEqualTo(c.scalar("index"));
        }
    }

    /** The committed files are exactly what the writer produces (none stale, none hand-edited, none missing). */
    @Test
    void committedFilesEqualTheWriterOutput() throws IOException {
        Map<String, String> expected = GoldenVectorWriter.files();
        for (var e : expected.entrySet()) {
            assertThat(Files.readString(DIR.resolve(e.getKey()), StandardCharsets.UTF_8)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static short[] shorts(int[] v) {
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = (short) v[i];
        }
        return s;
    }

    private static int[][] rows(int[] flat, int n, int hd) {
        int[][] r = new int[n][hd];
        for (int p = 0; p < n; p++) {
            System.arraycopy(flat, p * hd, r[p], 0, hd);
        }
        return r;
    }
}
