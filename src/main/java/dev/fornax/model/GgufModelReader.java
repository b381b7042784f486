package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.gguf.Dequantizer;
import dev.fornax.gguf.GgmlType;
import dev.fornax.gguf.GgufFile;
import dev.fornax.gguf.GgufMetadata;
import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.NormForm;
import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A GGUF file → {@link LoadedWeights}: {@code <arch>.*} metadata → {@link ModelSpec} (as llama.cpp
 * reads it: {@code llama_model::load_hparams}), every tensor looked up by its llama.cpp name and
 * checked against the shape the spec implies, and the converter's changes undone per
 * {@link GgufArchitecture} (q/k row permutation, fused phi3 tensors as row views). A tensor the
 * model would not use is an error, as in the HF reader.
 */
final class GgufModelReader {
    private GgufModelReader() {}

    static LoadedWeights read(Path path) {
        try (GgufFile file = GgufFile.read(path)) {
            return new Builder(file).build();
        }
    }

    private static final class Builder {
        private final GgufFile file;
        private final GgufMetadata meta;
        private final Set<String> used = new HashSet<>();
        private final Set<String> types = new TreeSet<>();

        Builder(GgufFile file) {
            this.file = file;
            this.meta = file.meta();
        }

        LoadedWeights build() {
            if (meta.has("split.count") && meta.requirePositiveInt("split.count") > 1) {
                throw meta.error("split.count", meta.requirePositiveInt("split.count") + ": this is one part of a split"
                        + " model, which is not supported (merge the parts with llama-gguf-split --merge)");
            }
            String archName = meta.requireString(GgufMetadata.ARCHITECTURE);
            GgufArchitecture arch = GgufArchitecture.TABLE.get(archName);
            if (arch == null) {
                throw meta.error(GgufMetadata.ARCHITECTURE, "is '" + archName + "', which is not supported (supported: "
                        + GgufArchitecture.supported() + ")");
            }
            ModelSpec spec = spec(archName, arch);
            return weights(spec, arch);
        }

        private ModelSpec spec(String a, GgufArchitecture arch) {
            if (meta.has(a + ".expert_count") && meta.requirePositiveInt(a + ".expert_count") > 1) {
                throw meta.error(a + ".expert_count", meta.requirePositiveInt(a + ".expert_count")
                        + ": mixture-of-experts models are not supported");
            }
            int hidden = meta.requirePositiveInt(a + ".embedding_length");
            int layers = meta.requirePositiveInt(a + ".block_count");
            int intermediate = meta.requirePositiveInt(a + ".feed_forward_length");
            int heads = meta.requirePositiveInt(a + ".attention.head_count");
            int kvHeads = meta.optPositiveInt(a + ".attention.head_count_kv", heads);
            if (heads % kvHeads != 0) {
                throw meta.error(a + ".attention.head_count", heads + " is not a multiple of " + a
                        + ".attention.head_count_kv " + kvHeads);
            }
            String keyLength = a + ".attention.key_length";
            if (!meta.has(keyLength) && hidden % heads != 0) {
                throw meta.error(a + ".embedding_length", hidden + " is not divisible by the head count " + heads
                        + " and " + keyLength + " is missing");
            }
            int headDim = meta.optPositiveInt(keyLength, hidden / Math.max(1, heads));
            int valueDim = meta.optPositiveInt(a + ".attention.value_length", headDim);
            if (valueDim != headDim) {
                throw meta.error(a + ".attention.value_length", valueDim + " differs from " + keyLength + " " + headDim
                        + " (not supported)");
            }
            if (headDim % 2 != 0) {
                throw meta.error(keyLength, headDim + " is odd; rotary embeddings rotate pairs of elements");
            }
            int ropeDims = meta.optPositiveInt(a + ".rope.dimension_count", headDim);
            if (ropeDims != headDim) {
                throw meta.error(a + ".rope.dimension_count", ropeDims + " differs from the head size " + headDim
                        + " (partial rotary embeddings are not supported)");
            }
            int context = meta.requirePositiveInt(a + ".context_length");
            double eps = meta.requirePositiveNumber(a + ".attention.layer_norm_rms_epsilon");
            double theta = meta.optPositiveNumber(a + ".rope.freq_base", 10000.0);
            RopeScaling scaling = ropeScaling(a, headDim);

            GgufFile.TensorInfo embedding = require("token_embd.weight");
            int vocab = checkedRows(embedding, hidden, "vocabulary × " + a + ".embedding_length");
            int vocabKey = meta.optPositiveInt(a + ".vocab_size", vocab);
            if (vocabKey != vocab) {
                throw meta.error(a + ".vocab_size", vocabKey + " differs from the " + vocab + " rows of token_embd.weight");
            }
            if (meta.has("tokenizer.ggml.tokens") && meta.requireStringArray("tokenizer.ggml.tokens").length != vocab) {
                throw meta.error("tokenizer.ggml.tokens", "has " + meta.requireStringArray("tokenizer.ggml.tokens").length
                        + " tokens but token_embd.weight has " + vocab + " rows");
            }
            int bos = tokenId("tokenizer.ggml.bos_token_id", vocab);
            List<Integer> eos = new ArrayList<>();
            for (String key : List.of("tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id",
                    "tokenizer.ggml.eom_token_id")) {
                int id = tokenId(key, vocab);
                if (id >= 0 && !eos.contains(id)) {
                    eos.add(id);
                }
            }
            boolean tied = file.tensor("output.weight") == null;
            return new ModelSpec(arch.architecture(), hidden, layers, heads, kvHeads, headDim, intermediate, vocab,
                    context, eps, NormForm.WEIGHT, new Rope(theta, scaling), arch.activation(), arch.qkvBias(), tied,
                    arch.scaleEmbeddings(), bos, eos);
        }

        private int tokenId(String key, int vocab) {
            int id = meta.optTokenId(key);
            if (id >= vocab) {
                throw meta.error(key, id + " is outside the vocabulary of " + vocab);
            }
            return id;
        }

        /** llama.cpp's rope scaling keys, and the llama3-style per-frequency factors tensor. */
        private RopeScaling ropeScaling(String a, int headDim) {
            String typeKey = a + ".rope.scaling.type";
            String factorKey = meta.has(a + ".rope.scaling.factor") ? a + ".rope.scaling.factor" : a + ".rope.scale_linear";
            String type = meta.optString(typeKey, meta.has(factorKey) ? "linear" : "none");
            for (String t : List.of("rope_factors_long.weight", "rope_factors_short.weight")) {
                if (file.tensor(t) != null) {
                    throw new FornaxException(file.file() + ": tensor '" + t + "': long-context (LongRoPE) scaling"
                            + " is not supported");
                }
            }
            GgufFile.TensorInfo freqs = file.tensor("rope_freqs.weight");
            RopeScaling scaling;
            switch (type) {
                case "none" -> scaling = new RopeScaling.None();
                case "llama3" -> {
                    if (freqs == null) {
                        throw meta.error(typeKey, "is 'llama3' but the file has no 'rope_freqs.weight' tensor");
                    }
                    scaling = new RopeScaling.None(); // the factors tensor carries the scaling
                }
                case "linear" -> {
                    double factor = meta.has(factorKey) ? meta.requirePositiveNumber(factorKey) : 1.0;
                    scaling = factor == 1.0 ? new RopeScaling.None() : new RopeScaling.Linear(factor);
                }
                default -> throw meta.error(typeKey, "is '" + type
                        + "', which is not supported (supported: none, linear, llama3 with rope_freqs)");
            }
            if (freqs == null) {
                return scaling;
            }
            if (!(scaling instanceof RopeScaling.None)) {
                throw new FornaxException(file.file() + ": tensor 'rope_freqs.weight' together with " + typeKey + " '"
                        + type + "' is not supported");
            }
            float[] factors = vector(freqs, headDim / 2, "head size / 2");
            List<Float> list = new ArrayList<>(factors.length);
            for (float f : factors) {
                if (!(f > 0)) {
                    throw new FornaxException(file.file() + ": tensor 'rope_freqs.weight' holds the factor " + f
                            + "; RoPE frequency factors must be positive");
                }
                list.add(f);
            }
            return new RopeScaling.Frequencies(list);
        }

        private LoadedWeights weights(ModelSpec spec, GgufArchitecture arch) {
            int d = spec.hidden();
            int qDim = spec.qDim();
            int kvDim = spec.kvDim();
            int inter = spec.intermediate();
            String dims = "embedding_length " + d;
            Matrix embedding = matrix("token_embd.weight", spec.vocab(), d, "vocabulary × embedding_length");
            Matrix lmHead = spec.tiedEmbeddings() ? embedding
                    : matrix("output.weight", spec.vocab(), d, "vocabulary × embedding_length");
            float[] finalNorm = vector("output_norm.weight", d, dims);
            List<LayerWeights> layers = new ArrayList<>();
            for (int i = 0; i < spec.layers(); i++) {
                String p = "blk." + i + ".";
                Matrix wq;
                Matrix wk;
                Matrix wv;
                if (arch.fusedQkv()) {
                    Matrix qkv = matrix(p + "attn_qkv.weight", qDim + 2 * kvDim, d,
                            "(head_count + 2·head_count_kv)·head size × embedding_length");
                    wq = new RowSliceMatrix(qkv, 0, qDim, "q");
                    wk = new RowSliceMatrix(qkv, qDim, kvDim, "k");
                    wv = new RowSliceMatrix(qkv, qDim + kvDim, kvDim, "v");
                } else {
                    wq = matrix(p + "attn_q.weight", qDim, d, "head_count·head size × embedding_length");
                    wk = matrix(p + "attn_k.weight", kvDim, d, "head_count_kv·head size × embedding_length");
                    wv = matrix(p + "attn_v.weight", kvDim, d, "head_count_kv·head size × embedding_length");
                }
                if (arch.interleavedRope()) {
                    wq = PermutedRowsMatrix.rotateHalfFromInterleaved(wq, spec.heads(), spec.headDim());
                    wk = PermutedRowsMatrix.rotateHalfFromInterleaved(wk, spec.kvHeads(), spec.headDim());
                }
                float[] bq = null;
                float[] bk = null;
                float[] bv = null;
                if (arch.qkvBias()) {
                    bq = vector(p + "attn_q.bias", qDim, "head_count·head size");
                    bk = vector(p + "attn_k.bias", kvDim, "head_count_kv·head size");
                    bv = vector(p + "attn_v.bias", kvDim, "head_count_kv·head size");
                }
                Matrix wo = matrix(p + "attn_output.weight", d, qDim, "embedding_length × head_count·head size");
                Matrix wGate;
                Matrix wUp;
                if (arch.fusedGateUp()) {
                    Matrix gateUp = matrix(p + "ffn_up.weight", 2 * inter, d, "2·feed_forward_length × embedding_length");
                    wGate = new RowSliceMatrix(gateUp, 0, inter, "gate");
                    wUp = new RowSliceMatrix(gateUp, inter, inter, "up");
                } else {
                    wGate = matrix(p + "ffn_gate.weight", inter, d, "feed_forward_length × embedding_length");
                    wUp = matrix(p + "ffn_up.weight", inter, d, "feed_forward_length × embedding_length");
                }
                Matrix wDown = matrix(p + "ffn_down.weight", d, inter, "embedding_length × feed_forward_length");
                float[] attnNorm = vector(p + "attn_norm.weight", d, dims);
                float[] ffnNorm = vector(p + "ffn_norm.weight", d, dims);
                float[] qNorm = null;
                float[] kNorm = null;
                if (arch.qkNorm()) {
                    qNorm = vector(p + "attn_q_norm.weight", spec.headDim(), "head size");
                    kNorm = vector(p + "attn_k_norm.weight", spec.headDim(), "head size");
                }
                layers.add(new LayerWeights(attnNorm, wq, wk, wv, bq, bk, bv, wo, ffnNorm, wGate, wUp, wDown, qNorm,
                        kNorm));
            }
            refuseUnused(spec);
            return new LoadedWeights(spec, embedding, lmHead, finalNorm, layers, "gguf", String.join("+", types),
                    file.tensors().size());
        }

        private GgufFile.TensorInfo require(String name) {
            GgufFile.TensorInfo t = file.tensor(name);
            if (t == null) {
                throw new FornaxException(file.file() + ": tensor '" + name + "' is missing");
            }
            used.add(name);
            return t;
        }

        /** The rows of a [rows × cols] tensor whose row length must be {@code cols}. */
        private int checkedRows(GgufFile.TensorInfo t, int cols, String why) {
            long[] ne = t.dims();
            boolean ok = ne.length >= 2 && ne[0] == cols && ne[1] > 0 && ne[1] <= Integer.MAX_VALUE;
            for (int i = 2; i < ne.length; i++) {
                ok &= ne[i] == 1;
            }
            if (!ok) {
                throw new FornaxException(file.file() + ": tensor '" + t.name() + "' has shape " + t.shapeString()
                        + ", expected [rows, " + cols + "] (" + why + ")");
            }
            return (int) ne[1];
        }

        private Matrix matrix(String name, int rows, int cols, String why) {
            GgufFile.TensorInfo t = require(name);
            if (checkedRows(t, cols, why) != rows) {
                throw new FornaxException(file.file() + ": tensor '" + name + "' has shape " + t.shapeString()
                        + ", expected [" + rows + ", " + cols + "] (" + why + ")");
            }
            types.add(t.type().name());
            return GgufMatrix.map(file, t, rows, cols);
        }

        private float[] vector(String name, int length, String why) {
            return vector(require(name), length, why);
        }

        /** A 1-D tensor, decoded now and checked to be finite. */
        private float[] vector(GgufFile.TensorInfo t, int length, String why) {
            used.add(t.name());
            boolean ok = t.dims().length >= 1 && t.dims()[0] == length;
            for (int i = 1; i < t.dims().length; i++) {
                ok &= t.dims()[i] == 1;
            }
            if (!ok) {
                throw new FornaxException(file.file() + ": tensor '" + t.name() + "' has shape " + t.shapeString()
                        + ", expected [" + length + "] (" + why + ")");
            }
            if (!t.type().decodable()) {
                throw new FornaxException(file.file() + ": tensor '" + t.name() + "' has type " + t.type()
                        + ", which is not supported (supported: " + GgmlType.decodableNames() + ")");
            }
            ByteBuffer buf = file.map(t, 0, t.byteSize());
            float[] out = new float[length];
            Dequantizer.decode(t.type(), buf, 0, length, out, 0);
            for (int i = 0; i < length; i++) {
                if (!Float.isFinite(out[i])) {
                    throw new FornaxException(file.file() + ": tensor '" + t.name() + "' contains "
                            + (Float.isNaN(out[i]) ? "NaN" : "an infinity") + " at index " + i);
                }
            }
            types.add(t.type().name());
            return out;
        }

        private void refuseUnused(ModelSpec spec) {
            List<String> unexpected = new ArrayList<>();
            for (String name : file.tensors().keySet()) {
                if (!used.contains(name)) {
                    unexpected.add(name);
                }
            }
            if (!unexpected.isEmpty()) {
                String shown = String.join(", ", unexpected.subList(0, Math.min(3, unexpected.size())));
                String more = unexpected.size() > 3 ? " and " + (unexpected.size() - 3) + " more" : "";
                throw new FornaxException(file.file() + ": unexpected tensors for a " + spec.layers() + "-layer "
                        + meta.requireString(GgufMetadata.ARCHITECTURE) + " model: " + shown + more);
            }
        }
    }
}
