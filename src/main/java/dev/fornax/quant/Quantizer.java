package dev.fornax.quant;

import dev.fornax.FornaxException;
import dev.fornax.engine.Parallel;
import dev.fornax.golden.IntOps;
import dev.fornax.golden.Tables;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.ir.NormForm;
import java.util.ArrayList;
import java.util.List;

/**
 * Float model → {@link QuantizedModel} (docs/NUMERICS.md). Streaming: matrices are read one float
 * row at a time into a reused buffer per thread, so the heap holds the int8 result plus a row per
 * thread, never the float weights (qwen2-0.5b quantises in a 700 MB heap; its float32 weights
 * would take 2 GB). Deterministic: the result depends only on the float values.
 */
public final class Quantizer {
    private Quantizer() {}

    /** Quantises for the model's full context length. */
    public static QuantizedModel quantize(ModelWeights weights) {
        return quantize(weights, weights.spec().contextLength());
    }

    /**
     * @param context positions the KV cache (and the RoPE tables) will hold, 1..context_length
     * @throws FornaxException for a shape mismatch, a NaN/Inf weight (naming tensor and row), or a
     *     model whose accumulators could overflow ({@link AccumulatorBounds})
     */
    public static QuantizedModel quantize(ModelWeights weights, int context) {
        try (Parallel parallel = Parallel.ofAvailableProcessors()) {
            return quantize(weights, context, parallel);
        }
    }

    /**
     * As {@link #quantize(ModelWeights, int)}, rows split over {@code parallel}'s threads (each
     * holds one float row; the result does not depend on the thread count, and an error names the
     * lowest bad row, as a single thread would).
     */
    public static QuantizedModel quantize(ModelWeights weights, int context, Parallel parallel) {
        return quantize(weights, context, parallel, null);
    }

    /**
     * A destination for quantised rows that does not keep them: {@link #quantize(ModelWeights, int,
     * Parallel, RowStream)} hands it every matrix in stream order (embedding; per layer q, k, v, o,
     * gate, up, down; an untied lm_head last) and it returns the per-row float scales s_r after
     * storing the int8 rows ({@link #quantizeRow}) wherever it likes. The resulting model holds
     * scales only ({@link QuantMatrix#data()} is null).
     */
    public interface RowStream {
        double[] put(Matrix m, Parallel parallel);
    }

    /**
     * As {@link #quantize(ModelWeights, int, Parallel)}; with a non-null {@code stream} the int8
     * rows go to it instead of the heap, so the compiler holds no weight matrix at all.
     */
    public static QuantizedModel quantize(ModelWeights weights, int context, Parallel parallel, RowStream stream) {
        return quantize(weights, context, parallel, stream, WeightFormat.INT8);
    }

    /** The model's full context in {@code format}, on one thread per processor. */
    public static QuantizedModel quantize(ModelWeights weights, WeightFormat format) {
        try (Parallel parallel = Parallel.ofAvailableProcessors()) {
            return quantize(weights, weights.spec().contextLength(), parallel, null, format);
        }
    }

    /** {@code context} positions in {@code format}, on one thread per processor. */
    public static QuantizedModel quantize(ModelWeights weights, int context, WeightFormat format) {
        try (Parallel parallel = Parallel.ofAvailableProcessors()) {
            return quantize(weights, context, parallel, null, format);
        }
    }

    /**
     * As {@link #quantize(ModelWeights, int, Parallel, RowStream)} in the weight format {@code f}
     * (INT4 matrices are held in memory: {@code stream} must be null then).
     */
    public static QuantizedModel quantize(ModelWeights weights, int context, Parallel parallel, RowStream stream,
            WeightFormat f) {
        if (f.int4() && stream != null) {
            throw new IllegalArgumentException("INT4 weights are quantised in memory, not streamed");
        }
        ModelSpec spec = weights.spec();
        if (context < 1 || context > spec.contextLength()) {
            throw new FornaxException("context " + context + " is outside 1.." + spec.contextLength()
                    + " (the model's context length)");
        }
        if (spec.headDim() % 2 != 0) {
            throw new FornaxException("head_dim " + spec.headDim() + " is odd; rotate-half RoPE needs an even head_dim");
        }
        if (spec.kvHeads() <= 0 || spec.heads() % spec.kvHeads() != 0) {
            throw new FornaxException("num_attention_heads " + spec.heads()
                    + " is not a multiple of num_key_value_heads " + spec.kvHeads());
        }
        AccumulatorBounds.check(spec, context);
        int d = spec.hidden();
        int qDim = spec.heads() * spec.headDim();
        int kvDim = spec.kvHeads() * spec.headDim();
        int inter = spec.intermediate();
        boolean onePlus = spec.normForm() == NormForm.ONE_PLUS_WEIGHT;

        // Embedding: one int8 table; input scales × float32(√D) for gemma, output scales plain.
        Matrix embSource = checkShape(weights.embedding(), spec.vocab(), d);
        double[] rowScale = new double[spec.vocab()];
        QuantMatrix emb = quantizeMatrix(parallel, embSource, rowScale, stream, f);
        double normaliser = spec.scaleEmbeddings() ? (double) (float) Math.sqrt(d) : 1.0;
        QuantMatrix embedding = withScales(emb, emb.name(), rowScale, normaliser);

        List<QuantLayer> layers = new ArrayList<>(spec.layers());
        for (int i = 0; i < spec.layers(); i++) {
            LayerWeights lw = weights.layer(i);
            String at = "layer " + i + " ";
            layers.add(new QuantLayer(
                    gain(lw.attnNorm(), d, onePlus, at + "input norm"),
                    quantizeMatrix(parallel, checkShape(lw.wq(), qDim, d), null, stream, f),
                    quantizeMatrix(parallel, checkShape(lw.wk(), kvDim, d), null, stream, f),
                    quantizeMatrix(parallel, checkShape(lw.wv(), kvDim, d), null, stream, f),
                    bias(spec, lw.bq(), qDim, at + "q bias"),
                    bias(spec, lw.bk(), kvDim, at + "k bias"),
                    bias(spec, lw.bv(), kvDim, at + "v bias"),
                    quantizeMatrix(parallel, checkShape(lw.wo(), d, qDim), null, stream, f),
                    gain(lw.ffnNorm(), d, onePlus, at + "post-attention norm"),
                    quantizeMatrix(parallel, checkShape(lw.wGate(), inter, d), null, stream, f),
                    quantizeMatrix(parallel, checkShape(lw.wUp(), inter, d), null, stream, f),
                    quantizeMatrix(parallel, checkShape(lw.wDown(), d, inter), null, stream, f),
                    qkNorm(spec, lw.qNorm(), at + "q_norm"),
                    qkNorm(spec, lw.kNorm(), at + "k_norm")));
        }
        // lm_head last: the order of the weight stream (and of the DRAM image a RowStream writes)
        QuantMatrix lmHead;
        if (spec.tiedEmbeddings()) {
            lmHead = withScales(emb, emb.name() + " (tied lm_head)", rowScale, 1.0);
        } else {
            lmHead = quantizeMatrix(parallel, checkShape(weights.lmHead(), spec.vocab(), d), null, stream, f);
        }
        Tables.Gain finalNorm = gain(weights.finalNorm(), d, onePlus, "final norm");
        return new QuantizedModel(spec, context, embedding, lmHead, layers, finalNorm, KernelTables.of(spec, context), f);
    }

    /**
     * Quantises a matrix row by row (per-row symmetric INT8), into memory or through {@code stream}
     * when it is not null (then the result holds scales only).
     *
     * @param rowScaleOut if not null, receives each row's float scale s_r = max|W_r|/127
     */
    private static QuantMatrix quantizeMatrix(Parallel parallel, Matrix m, double[] rowScaleOut, RowStream stream,
            WeightFormat f) {
        if (f.int4()) {
            byte[] data = new byte[checkedSize(m)];
            byte[] u = new byte[m.rows() * f.groups(m.cols())];
            double[] s = quantizeRows4(parallel, m, f.groupSize(), data, u);
            if (rowScaleOut != null) {
                System.arraycopy(s, 0, rowScaleOut, 0, s.length);
            }
            QuantMatrix q = scaled(m.name(), m.rows(), m.cols(), data, s, 1.0);
            return new QuantMatrix(q.name(), q.rows(), q.cols(), data, q.scaleM(), q.scaleK(), f.groupSize(), u);
        }
        byte[] data = null;
        double[] s;
        if (stream == null) {
            data = new byte[checkedSize(m)];
            s = quantizeRows(parallel, m, data);
        } else {
            s = stream.put(m, parallel);
            if (s.length != m.rows()) {
                throw new IllegalStateException("internal: " + m.name() + ": " + s.length + " row scales for "
                        + m.rows() + " rows");
            }
        }
        if (rowScaleOut != null) {
            System.arraycopy(s, 0, rowScaleOut, 0, s.length);
        }
        return scaled(m.name(), m.rows(), m.cols(), data, s, 1.0);
    }

    private static int checkedSize(Matrix m) {
        if ((long) m.rows() * m.cols() > Integer.MAX_VALUE - 8) {
            throw new FornaxException("tensor " + m.name() + " [" + m.rows() + " × " + m.cols()
                    + "] has more than 2^31 weights; one int8 array cannot hold it");
        }
        return m.rows() * m.cols();
    }

    /** All rows of {@code m} into {@code data}, split over the workers; returns the row scales. */
    private static double[] quantizeRows(Parallel parallel, Matrix m, byte[] data) {
        int cols = m.cols();
        double[] s = new double[m.rows()];
        parallel.forRange(m.rows(), (from, to, worker) -> {
            float[] buf = new float[cols];
            for (int r = from; r < to; r++) {
                m.readRow(r, buf, 0);
                s[r] = quantizeRow(buf, cols, data, r * cols, m.name(), r);
            }
        });
        return s;
    }

    /**
     * One row: s = max|w|/127, q = round(w/s) half away from zero. Returns s (0 for a zero row).
     *
     * @throws FornaxException naming tensor, row and column of a NaN or infinite weight
     */
    public static double quantizeRow(float[] row, int cols, byte[] dst, int off, String tensor, int r) {
        // Math.max propagates NaN and keeps +Inf, so one test after the loop finds a bad weight.
        float maxAbs = 0f;
        for (int c = 0; c < cols; c++) {
            maxAbs = Math.max(maxAbs, Math.abs(row[c]));
        }
        if (!Float.isFinite(maxAbs)) {
            throw nonFinite(row, cols, tensor, r);
        }
        if (maxAbs == 0) {
            java.util.Arrays.fill(dst, off, off + cols, (byte) 0);
            return 0;
        }
        double max = maxAbs;
        // |q| = |w|·127/max: the product is exact in double, the division correctly rounded, and
        // |q| <= 127. Round half up on the magnitude: for |q| >= 0.5, (int) (|q| + 0.5) is exact
        // (the sum can only lose bits when it crosses a power of two, far from an integer); below
        // 0.5 the sum may round up to 1.0 (0.49999999999999994 + 0.5), so it is 0 by definition.
        for (int c = 0; c < cols; c++) {
            float w = row[c];
            double q = Math.abs(w) * 127.0 / max;
            int mag = q < 0.5 ? 0 : (int) (q + 0.5);
            dst[off + c] = (byte) (w < 0 ? -mag : mag);
        }
        return max / 127.0;
    }

    private static FornaxException nonFinite(float[] row, int cols, String tensor, int r) {
        for (int c = 0; c < cols; c++) {
            if (!Float.isFinite(row[c])) {
                return new FornaxException("tensor " + tensor + " row " + r + " column " + c + " holds " + row[c]
                        + "; weights must be finite");
            }
        }
        throw new IllegalStateException("internal: row " + r + " of " + tensor + " has a non-finite maximum");
    }

    private static QuantMatrix withScales(QuantMatrix q, String name, double[] rowScale, double factor) {
        QuantMatrix s = scaled(name, q.rows(), q.cols(), q.data(), rowScale, factor);
        return new QuantMatrix(name, s.rows(), s.cols(), s.data(), s.scaleM(), s.scaleK(), q.groupSize(),
                q.groupScale());
    }

    /** All rows of {@code m} as INT4 groups of {@code g}, split over the workers; returns the row scales. */
    private static double[] quantizeRows4(Parallel parallel, Matrix m, int g, byte[] data, byte[] u) {
        int cols = m.cols();
        int ng = (cols + g - 1) / g;
        double[] s = new double[m.rows()];
        parallel.forRange(m.rows(), (from, to, worker) -> {
            float[] buf = new float[cols];
            for (int r = from; r < to; r++) {
                m.readRow(r, buf, 0);
                s[r] = quantizeRow4(buf, cols, g, data, r * cols, u, r * ng, m.name(), r);
            }
        });
        return s;
    }

    /**
     * One row in INT4 groups (docs/NUMERICS.md, "INT4 weights"): the row scale s = max|w|/126 (the
     * requant scale, as INT8's max/127); per group of {@code g} consecutive weights a multiplier
     * u ∈ [1, 18] and q = clamp(round(|w|/(u·s)) half up, 7) with w's sign, u chosen as the one
     * whose group error Σ(w − q·u·s)² is least (the smallest u on a tie: deterministic). Writes the
     * effective int8 weights q·u to {@code dst} and u to {@code uDst}; returns s (0 for a zero row,
     * whose multipliers are all 1).
     *
     * @throws FornaxException naming tensor, row and column of a NaN or infinite weight
     */
    public static double quantizeRow4(float[] row, int cols, int g, byte[] dst, int off, byte[] uDst, int uOff,
            String tensor, int r) {
        float maxAbs = 0f;
        for (int c = 0; c < cols; c++) {
            maxAbs = Math.max(maxAbs, Math.abs(row[c]));
        }
        if (!Float.isFinite(maxAbs)) {
            throw nonFinite(row, cols, tensor, r);
        }
        int ng = (cols + g - 1) / g;
        if (maxAbs == 0) {
            java.util.Arrays.fill(dst, off, off + cols, (byte) 0);
            java.util.Arrays.fill(uDst, uOff, uOff + ng, (byte) 1);
            return 0;
        }
        final int top = WeightFormat.Q4_MAX * WeightFormat.U_MAX; // 126
        double max = maxAbs;
        double s = max / top;
        for (int gi = 0; gi < ng; gi++) {
            int c0 = gi * g;
            int c1 = Math.min(cols, c0 + g);
            int bestU = 1;
            double bestErr = Double.POSITIVE_INFINITY;
            for (int u = 1; u <= WeightFormat.U_MAX; u++) {
                double err = 0;
                for (int c = c0; c < c1; c++) {
                    double w = row[c];
                    int q = q4(w, u, max);
                    double e = Math.abs(w) - q * (u * s);
                    err += e * e;
                }
                if (err < bestErr) {
                    bestErr = err;
                    bestU = u;
                }
            }
            uDst[uOff + gi] = (byte) bestU;
            for (int c = c0; c < c1; c++) {
                float w = row[c];
                int mag = q4(w, bestU, max) * bestU;
                dst[off + c] = (byte) (w < 0 ? -mag : mag);
            }
        }
        return s;
    }

    /**
     * |q| = min(7, round(|w|·126/(u·max)) half up): the product |w|·126 is exact in double, the
     * division correctly rounded (as {@link #quantizeRow}).
     */
    private static int q4(double w, int u, double max) {
        double q = Math.abs(w) * (WeightFormat.Q4_MAX * WeightFormat.U_MAX) / (u * max);
        int mag = q < 0.5 ? 0 : (int) Math.min(WeightFormat.Q4_MAX, (long) (q + 0.5));
        return mag;
    }

    /** A matrix whose row r has the requant scale (M, k) of rowScale[r] · factor. */
    private static QuantMatrix scaled(String name, int rows, int cols, byte[] data, double[] rowScale, double factor) {
        int[] sm = new int[rows];
        int[] sk = new int[rows];
        for (int r = 0; r < rows; r++) {
            Tables.Scale s = Tables.Scale.of(rowScale[r] * factor);
            sm[r] = s.m();
            sk[r] = s.k();
        }
        return new QuantMatrix(name, rows, cols, data, sm, sk);
    }

    private static Tables.Gain gain(float[] g, int d, boolean onePlus, String what) {
        checkVector(g, d, what);
        return Tables.Gain.of(g, onePlus, d);
    }

    /** qwen3's per-head RMSNorm gain over head_dim (×√hd, as every RMSNorm gain), null for the others. */
    private static Tables.Gain qkNorm(ModelSpec spec, float[] w, String what) {
        if (!spec.qkNorm()) {
            if (w != null) {
                throw new FornaxException(what + " is present but the model description has no q/k norms");
            }
            return null;
        }
        return gain(w, spec.headDim(), false, what);
    }

    private static int[] bias(ModelSpec spec, float[] b, int n, String what) {
        if (!spec.qkvBias()) {
            if (b != null) {
                throw new FornaxException(what + " is present but the model description has no q/k/v biases");
            }
            return null;
        }
        checkVector(b, n, what);
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            q[i] = IntOps.sat32(Math.round(b[i] * 65536.0));
        }
        return q;
    }

    private static void checkVector(float[] v, int n, String what) {
        if (v == null || v.length != n) {
            throw new FornaxException(what + " has " + (v == null ? "no values" : v.length + " values")
                    + ", the model description needs " + n);
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(v[i])) {
                throw new FornaxException(what + " element " + i + " holds " + v[i] + "; weights must be finite");
            }
        }
    }

    private static Matrix checkShape(Matrix m, int rows, int cols) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new FornaxException("tensor " + m.name() + " has shape [" + m.rows() + " × " + m.cols()
                    + "], the model description needs [" + rows + " × " + cols + "]");
        }
        return m;
    }
}
