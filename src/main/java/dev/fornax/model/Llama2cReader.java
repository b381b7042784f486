package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.NormForm;
import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A llama2.c legacy (version 0) checkpoint: 7 little-endian int32 (dim, hidden_dim, n_layers,
 * n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means an untied classifier is
 * stored at the end), then float32 tensors in run.c's order: token embedding, rms_att, wq, wk, wv,
 * wo, rms_ffn, w1 (gate), w2 (down), w3 (up), rms_final, two unused freq_cis tables
 * [seq_len × head_size/2], and the classifier when untied.
 *
 * <p>llama2.c rotates interleaved pairs (2i, 2i+1) of each head; HF rotates (i, i + head_size/2).
 * The q/k rows are permuted on load into HF's layout — the inverse of the permute in transformers'
 * convert_llama_weights_to_hf — so the IR and the engines see one layout for both sources.
 */
final class Llama2cReader {
    static final int HEADER_BYTES = 7 * 4;
    /** Newer llama2.c exports (version ≥ 1) start with this magic ("ak42" as a little-endian int). */
    static final int EXPORT_MAGIC = 0x616b3432;

    private Llama2cReader() {}

    /** Header fields as stored (vocab may be negative). */
    record Header(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocab, int seqLen) {
        boolean shared() {
            return vocab > 0;
        }

        int vocabSize() {
            return Math.abs(vocab);
        }

        int headSize() {
            return dim / heads;
        }

        @Override
        public String toString() {
            return "(dim " + dim + ", hidden_dim " + hiddenDim + ", n_layers " + layers + ", n_heads " + heads
                    + ", n_kv_heads " + kvHeads + ", vocab_size " + vocab + ", seq_len " + seqLen + ")";
        }

        /**
         * Number of float32 values the file must hold after the header, in exact arithmetic (a
         * crafted header must not wrap around to the size of a small file).
         */
        long floats() {
            long d = dim;
            long kv = Math.multiplyExact((long) kvHeads, headSize());
            long perLayer = Math.addExact(Math.addExact(Math.multiplyExact(2, d), Math.multiplyExact(2, Math.multiplyExact(d, d))),
                    Math.addExact(Math.multiplyExact(2, Math.multiplyExact(kv, d)), Math.multiplyExact(3, Math.multiplyExact(d, hiddenDim))));
            long embed = Math.multiplyExact((long) vocabSize(), d);
            long total = Math.addExact(Math.addExact(embed, Math.multiplyExact(perLayer, layers)),
                    Math.addExact(d, Math.multiplyExact((long) seqLen, headSize()))); // 2 × seq × hs/2
            return shared() ? total : Math.addExact(total, embed);
        }
    }

    static LoadedWeights read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            return build(file, ch, h);
        } catch (NoSuchFileException e) {
            throw new FornaxException(file + ": file not found");
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read: " + dev.fornax.io.IoErrors.describe(e), e);
        }
    }

    static Header readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < HEADER_BYTES) {
            throw new FornaxException(file + ": " + size + " bytes is too short for a llama2.c checkpoint header (28 bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, buf.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        if (buf.getInt(0) == EXPORT_MAGIC) {
            throw new FornaxException(file + ": llama2.c export format version " + buf.getInt(4)
                    + " is not supported (only the legacy version-0 checkpoint, as run.c reads it)");
        }
        Header h = new Header(buf.getInt(0), buf.getInt(4), buf.getInt(8), buf.getInt(12), buf.getInt(16),
                buf.getInt(20), buf.getInt(24));
        String where = file + ": llama2.c header " + h;
        if (h.dim() <= 0 || h.hiddenDim() <= 0 || h.layers() <= 0 || h.heads() <= 0 || h.kvHeads() <= 0
                || h.vocab() == 0 || h.vocab() == Integer.MIN_VALUE || h.seqLen() <= 0) {
            throw new FornaxException(where + " has a non-positive field (not a llama2.c checkpoint?)");
        }
        if (h.dim() % h.heads() != 0 || h.heads() % h.kvHeads() != 0 || h.headSize() % 2 != 0) {
            throw new FornaxException(where + ": dim must be a multiple of n_heads, n_heads of n_kv_heads, and the head size even");
        }
        long expected;
        try {
            expected = Math.addExact(HEADER_BYTES, Math.multiplyExact(4, h.floats()));
        } catch (ArithmeticException e) {
            throw new FornaxException(where + " describes more than 2^63 bytes of weights (not a llama2.c checkpoint?)");
        }
        if (size != expected) {
            throw new FornaxException(file + ": size " + size + " bytes does not match its llama2.c header (" + h
                    + " needs " + expected + " bytes)");
        }
        return h;
    }

    private static LoadedWeights build(Path file, FileChannel ch, Header h) throws IOException {
        int d = h.dim();
        int kvDim = h.kvHeads() * h.headSize();
        int hid = h.hiddenDim();
        int n = h.layers();
        Cursor c = new Cursor(file, ch, HEADER_BYTES);

        Matrix embedding = c.matrix("token_embedding_table", h.vocabSize(), d);
        float[][] rmsAtt = c.vectors("rms_att_weight", n, d);
        Matrix[] wq = c.matrices("wq", n, d, d);
        Matrix[] wk = c.matrices("wk", n, kvDim, d);
        Matrix[] wv = c.matrices("wv", n, kvDim, d);
        Matrix[] wo = c.matrices("wo", n, d, d);
        float[][] rmsFfn = c.vectors("rms_ffn_weight", n, d);
        Matrix[] w1 = c.matrices("w1", n, hid, d);
        Matrix[] w2 = c.matrices("w2", n, d, hid);
        Matrix[] w3 = c.matrices("w3", n, hid, d);
        float[] rmsFinal = c.vectors("rms_final_weight", 1, d)[0];
        c.skip(2L * h.seqLen() * (h.headSize() / 2) * 4); // freq_cis_real, freq_cis_imag: run.c ignores them
        Matrix lmHead = h.shared() ? embedding : c.matrix("wcls", h.vocabSize(), d);

        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            layers.add(new LayerWeights(rmsAtt[l], PermutedRowsMatrix.rotateHalfFromInterleaved(wq[l], h.heads(), h.headSize()),
                    PermutedRowsMatrix.rotateHalfFromInterleaved(wk[l], h.kvHeads(), h.headSize()), wv[l], null, null, null, wo[l], rmsFfn[l], w1[l], w3[l], w2[l]));
        }
        ModelSpec spec = new ModelSpec(Architecture.LLAMA, d, n, h.heads(), h.kvHeads(), h.headSize(), hid,
                h.vocabSize(), h.seqLen(),
                1e-5, // run.c rmsnorm: ss += 1e-5f
                NormForm.WEIGHT, new Rope(10000.0, new RopeScaling.None()), Activation.SILU, false, h.shared(), false,
                1,
                // run.c stops generating when the sampled token is BOS (1): it ends a story by starting
                // the next. EOS (2) never stops it, so BOS plays the end-of-sequence role here.
                List.of(1));
        int tensors = 1 + 9 * n + 1 + (h.shared() ? 0 : 1);
        return new LoadedWeights(spec, embedding, lmHead, rmsFinal, layers, "llama2c", "F32", tensors);
    }

    /** Walks the file's tensors in order. */
    private static final class Cursor {
        private final Path file;
        private final FileChannel ch;
        private long position;

        Cursor(Path file, FileChannel ch, long position) {
            this.file = file;
            this.ch = ch;
            this.position = position;
        }

        Matrix matrix(String name, int rows, int cols) {
            Matrix m = MappedMatrix.map(name, file, ch, position, Dtype.F32, rows, cols);
            position += 4L * rows * cols;
            return m;
        }

        Matrix[] matrices(String name, int layers, int rows, int cols) {
            Matrix[] out = new Matrix[layers];
            for (int l = 0; l < layers; l++) {
                out[l] = matrix(name + "[" + l + "]", rows, cols);
            }
            return out;
        }

        float[][] vectors(String name, int count, int length) throws IOException {
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, position, 4L * count * length)
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[][] out = new float[count][length];
            for (int v = 0; v < count; v++) {
                for (int i = 0; i < length; i++) {
                    float x = buf.getFloat(4 * (v * length + i));
                    if (!Float.isFinite(x)) {
                        throw new FornaxException(file + ": tensor '" + name + "[" + v + "]' contains "
                                + (Float.isNaN(x) ? "NaN" : "an infinity") + " at index " + i);
                    }
                    out[v][i] = x;
                }
            }
            position += 4L * count * length;
            return out;
        }

        void skip(long bytes) {
            position += bytes;
        }
    }
}
