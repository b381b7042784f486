package dev.fornax.engine;

import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.ir.NormForm;
import dev.fornax.ir.RopeScaling;

/**
 * An independent transcription of the HF decoder forward for tests: float64 throughout, the whole
 * sequence at once with an explicit causal mask (no KV cache), written from the transformers
 * modeling code rather than from {@link FloatEngine}. Agreement with it checks the cache, the
 * position handling and the indexing; the HF fixtures check the semantics against HF itself. For
 * qwen3, of which ../shared holds no HF reference, this transcription of modeling_qwen3.py (q_norm /
 * k_norm per head before RoPE) is the independent expectation.
 */
final class DoubleReference {
    private DoubleReference() {}

    /** Logits [len][vocab] for {@code tokens}: row i after tokens 0..i. */
    static double[][] logits(ModelWeights w, int[] tokens) {
        ModelSpec s = w.spec();
        int n = tokens.length;
        int d = s.hidden();
        int hd = s.headDim();
        double[][] h = new double[n][];
        for (int t = 0; t < n; t++) {
            h[t] = toDouble(w.embedding().row(tokens[t]));
            if (s.scaleEmbeddings()) {
                double normaliser = (float) Math.sqrt(d); // HF builds it as a float32 tensor
                for (int i = 0; i < d; i++) {
                    h[t][i] *= normaliser;
                }
            }
        }
        double[] inv = inverseFrequencies(s, hd);
        for (int l = 0; l < s.layers(); l++) {
            LayerWeights lw = w.layer(l);
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] x = norm(h[t], lw.attnNorm(), s);
                q[t] = add(matvec(lw.wq(), x), lw.bq());
                k[t] = add(matvec(lw.wk(), x), lw.bk());
                if (s.architecture() == Architecture.QWEN3) {
                    // modeling_qwen3 Qwen3Attention.forward: q_norm(q_proj(x).view(..., head_dim)), likewise
                    // k_norm: a Qwen3RMSNorm(head_dim) over the last axis, i.e. each head on its own.
                    q[t] = headNorm(q[t], s.heads(), hd, lw.qNorm(), s.normEps());
                    k[t] = headNorm(k[t], s.kvHeads(), hd, lw.kNorm(), s.normEps());
                }
                q[t] = rope(q[t], s.heads(), hd, inv, t);
                k[t] = rope(k[t], s.kvHeads(), hd, inv, t);
                v[t] = add(matvec(lw.wv(), x), lw.bv());
            }
            for (int t = 0; t < n; t++) {
                double[] out = new double[s.heads() * hd];
                for (int head = 0; head < s.heads(); head++) {
                    int kvHead = head / (s.heads() / s.kvHeads());
                    double[] scores = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < n; u++) {
                        if (u > t) {
                            scores[u] = Double.NEGATIVE_INFINITY; // causal mask
                            continue;
                        }
                        double dot = 0;
                        for (int i = 0; i < hd; i++) {
                            dot += q[t][head * hd + i] * k[u][kvHead * hd + i];
                        }
                        scores[u] = dot / Math.sqrt(hd);
                        max = Math.max(max, scores[u]);
                    }
                    double sum = 0;
                    for (int u = 0; u < n; u++) {
                        scores[u] = Math.exp(scores[u] - max);
                        sum += scores[u];
                    }
                    for (int u = 0; u < n; u++) {
                        for (int i = 0; i < hd; i++) {
                            out[head * hd + i] += scores[u] / sum * v[u][kvHead * hd + i];
                        }
                    }
                }
                double[] o = matvec(lw.wo(), out);
                for (int i = 0; i < d; i++) {
                    h[t][i] += o[i];
                }
            }
            for (int t = 0; t < n; t++) {
                double[] x = norm(h[t], lw.ffnNorm(), s);
                double[] g = matvec(lw.wGate(), x);
                double[] u = matvec(lw.wUp(), x);
                for (int i = 0; i < g.length; i++) {
                    g[i] = act(g[i], s.activation()) * u[i];
                }
                double[] down = matvec(lw.wDown(), g);
                for (int i = 0; i < d; i++) {
                    h[t][i] += down[i];
                }
            }
        }
        double[][] logits = new double[n][];
        for (int t = 0; t < n; t++) {
            logits[t] = matvec(w.lmHead(), norm(h[t], w.finalNorm(), s));
        }
        return logits;
    }

    private static double act(double x, Activation a) {
        if (a == Activation.GELU_TANH) {
            return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        }
        return x / (1 + Math.exp(-x));
    }

    /** RMSNorm of every head slice [h·hd, (h+1)·hd) with the one weight w[hd], x·rsqrt(mean(x²)+eps)·w. */
    private static double[] headNorm(double[] x, int heads, int hd, float[] w, double eps) {
        double[] out = new double[x.length];
        for (int h = 0; h < heads; h++) {
            double ss = 0;
            for (int i = 0; i < hd; i++) {
                ss += x[h * hd + i] * x[h * hd + i];
            }
            double r = 1 / Math.sqrt(ss / hd + eps);
            for (int i = 0; i < hd; i++) {
                out[h * hd + i] = w[i] * (x[h * hd + i] * r);
            }
        }
        return out;
    }

    private static double[] norm(double[] x, float[] w, ModelSpec s) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double r = 1 / Math.sqrt(ss / x.length + s.normEps());
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double g = s.normForm() == NormForm.ONE_PLUS_WEIGHT ? 1 + w[i] : w[i];
            out[i] = x[i] * r * g;
        }
        return out;
    }

    /** 1/theta^(2i/d) with the llama3 / linear rules of modeling_rope_utils, in float64. */
    static double[] inverseFrequencies(ModelSpec s, int hd) {
        double[] inv = new double[hd / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1 / Math.pow(s.rope().theta(), 2.0 * i / hd);
        }
        RopeScaling sc = s.rope().scaling();
        if (sc instanceof RopeScaling.Linear lin) {
            for (int i = 0; i < inv.length; i++) {
                inv[i] /= lin.factor();
            }
        } else if (sc instanceof RopeScaling.Llama3 l3) {
            double lowWave = l3.originalMaxPositions() / l3.lowFreqFactor();
            double highWave = l3.originalMaxPositions() / l3.highFreqFactor();
            for (int i = 0; i < inv.length; i++) {
                double wave = 2 * Math.PI / inv[i];
                if (wave > lowWave) {
                    inv[i] /= l3.factor();
                } else if (wave >= highWave) {
                    double smooth = (l3.originalMaxPositions() / wave - l3.lowFreqFactor())
                            / (l3.highFreqFactor() - l3.lowFreqFactor());
                    inv[i] = (1 - smooth) * inv[i] / l3.factor() + smooth * inv[i];
                }
            }
        }
        return inv;
    }

    /** Rotate-half: element i of each head pairs with i + hd/2. */
    private static double[] rope(double[] x, int heads, int hd, double[] inv, int pos) {
        double[] out = x.clone();
        int half = hd / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double c = Math.cos(pos * inv[i]);
                double sn = Math.sin(pos * inv[i]);
                double a = x[h * hd + i];
                double b = x[h * hd + i + half];
                out[h * hd + i] = a * c - b * sn;
                out[h * hd + i + half] = b * c + a * sn;
            }
        }
        return out;
    }

    private static double[] matvec(Matrix m, double[] x) {
        double[] out = new double[m.rows()];
        float[] row = new float[m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.readRow(r, row, 0);
            double s = 0;
            for (int c = 0; c < row.length; c++) {
                s += row[c] * x[c];
            }
            out[r] = s;
        }
        return out;
    }

    private static double[] add(double[] v, float[] bias) {
        if (bias != null) {
            for (int i = 0; i < v.length; i++) {
                v[i] += bias[i];
            }
        }
        return v;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
