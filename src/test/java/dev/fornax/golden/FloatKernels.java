package dev.fornax.golden;

/**
 * The float (double precision) counterparts of the integer kernels, written from the HF
 * definitions, that the kernel tests measure {@link IntOps} against. Inputs are the dequantised
 * integer inputs, so each comparison isolates one kernel's own error.
 */
final class FloatKernels {
    private FloatKernels() {}

    /** HF LlamaRMSNorm: x·g/√(mean(x²) + eps). */
    static double[] rmsnorm(double[] x, double[] g, double eps) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double r = 1 / Math.sqrt(ss / x.length + eps);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * r * g[i];
        }
        return y;
    }

    /** Rotate-half RoPE of one head at angle pos·invFreq[i]. */
    static double[] rope(double[] x, double[] invFreq, int pos) {
        int half = x.length / 2;
        double[] y = new double[x.length];
        for (int i = 0; i < half; i++) {
            double a = pos * invFreq[i];
            double c = Math.cos(a);
            double s = Math.sin(a);
            y[i] = x[i] * c - x[i + half] * s;
            y[i + half] = x[i + half] * c + x[i] * s;
        }
        return y;
    }

    /** softmax(q·k_p/√hd) over p, then Σ p·v_p. */
    static double[] attention(double[] q, double[][] k, double[][] v) {
        int n = k.length;
        int hd = q.length;
        double[] s = new double[n];
        double mx = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            double dot = 0;
            for (int i = 0; i < hd; i++) {
                dot += q[i] * k[p][i];
            }
            s[p] = dot / Math.sqrt(hd);
            mx = Math.max(mx, s[p]);
        }
        double sum = 0;
        for (int p = 0; p < n; p++) {
            s[p] = Math.exp(s[p] - mx);
            sum += s[p];
        }
        double[] out = new double[v[0].length];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < out.length; i++) {
                out[i] += s[p] / sum * v[p][i];
            }
        }
        return out;
    }

    static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    /** gelu_pytorch_tanh: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }
}
