package dev.fornax.model;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.NormForm;
import dev.fornax.io.DiskSpace;
import dev.fornax.io.IoErrors;
import dev.fornax.io.OutputTargets;
import dev.fornax.io.Scratch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes a random-weight model in HF format: config.json with the real family's fields, weights in
 * one {@code model.safetensors} or K shards plus {@code model.safetensors.index.json}. A tied
 * lm_head is absent, as in HF checkpoints.
 *
 * <p>Deterministic: each tensor's values come from a SplittableRandom seeded by (seed, tensor name),
 * so the same seed gives the same bytes, and the same values whatever the shard count. Streamed:
 * tensors are produced row by row straight into the file (the gemma-2b preset is ~5 GB). Written
 * into a temporary sibling directory and renamed into place.
 *
 * <p>Values: uniform with standard deviation 0.02 (bound 0.02·√3) for matrices and biases; norm
 * weights 1 ± that (gemma stores w for x·(1+w), so around 0), which gives non-degenerate logits.
 */
public final class TinyWriter {
    static final double STD = 0.02;

    private TinyWriter() {}

    /** What {@code write} produced. */
    public record Result(Path dir, ModelSpec spec, List<Path> files, long bytes) {}

    public static Result write(TinyModel model, Path out, long seed, Dtype dtype, int shards, boolean force) {
        if (dtype != Dtype.BF16 && dtype != Dtype.F32) {
            throw new FornaxException("--dtype " + dtype.name().toLowerCase() + " is not supported (bf16, f32)");
        }
        model.validate();
        Map<String, Object> config = config(model, dtype);
        ModelSpec spec = HfConfig.parse(new ConfigFields(out.resolve(HfConfig.CONFIG), Json.MAPPER.valueToTree(config)), null);
        // before planning (a tensor list of millions of layers) or writing: the weights must fit the disk
        DiskSpace.require(out.toAbsolutePath().normalize().getParent(), Math.multiplyExact(spec.parameters(), (long) dtype.bytes()),
                "the model's weights");
        List<SafetensorsWriter.Planned> tensors = plan(spec, dtype);
        if (shards < 1 || shards > tensors.size()) {
            throw new FornaxException("--shards must be between 1 and the tensor count " + tensors.size() + ", got " + shards);
        }
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        OutputTargets.requireDirectory(target, "-o");
        checkTarget(target, force);
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new FornaxException(out + ": cannot create output directory: " + IoErrors.describe(e), e);
        }
        // a hidden .DIR.tmp-PID-START, removed on error and on SIGINT/SIGTERM; killed runs' ones reclaimed
        Scratch.reclaim(target, true);

        try (Scratch scratch = Scratch.directory(target, true)) {
            Path tmp = scratch.path();
            List<Path> files = new ArrayList<>();
            writeText(tmp.resolve(HfConfig.CONFIG), pretty(config));
            files.add(target.resolve(HfConfig.CONFIG));
            long bytes = writeWeights(tmp, spec, tensors, seed, shards, files, target);
            scratch.commit();
            return new Result(target, spec, files, bytes);
        }
    }

    /** Config fields in the real families' sets (and HF's sorted key order). */
    static Map<String, Object> config(TinyModel m, Dtype dtype) {
        Map<String, Object> c = new TreeMap<>();
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", m.bosId());
        c.put("eos_token_id", m.eosId());
        c.put("hidden_size", m.hidden());
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", m.intermediate());
        c.put("max_position_embeddings", m.context());
        c.put("model_type", m.arch().modelType());
        c.put("num_attention_heads", m.heads());
        c.put("num_hidden_layers", m.layers());
        c.put("num_key_value_heads", m.kvHeads());
        c.put("torch_dtype", dtype == Dtype.BF16 ? "bfloat16" : "float32");
        c.put("transformers_version", "4.44.2");
        c.put("use_cache", true);
        c.put("vocab_size", m.vocab());
        switch (m.arch()) {
            case LLAMA -> { // meta-llama/Llama-3.2-1B
                c.put("architectures", List.of("LlamaForCausalLM"));
                c.put("attention_bias", false);
                c.put("head_dim", m.headDim());
                c.put("hidden_act", "silu");
                c.put("mlp_bias", false);
                c.put("pretraining_tp", 1);
                c.put("rms_norm_eps", 1e-5);
                Map<String, Object> rope = new TreeMap<>();
                rope.put("factor", 32.0);
                rope.put("high_freq_factor", 4.0);
                rope.put("low_freq_factor", 1.0);
                rope.put("original_max_position_embeddings", 8192);
                rope.put("rope_type", "llama3");
                c.put("rope_scaling", rope);
                c.put("rope_theta", 500000.0);
                c.put("tie_word_embeddings", true);
            }
            case QWEN2 -> { // Qwen/Qwen2-0.5B
                c.put("architectures", List.of("Qwen2ForCausalLM"));
                c.put("hidden_act", "silu");
                c.put("max_window_layers", m.layers());
                c.put("rms_norm_eps", 1e-6);
                c.put("rope_theta", 1000000.0);
                c.put("sliding_window", m.context());
                c.put("tie_word_embeddings", true);
                c.put("use_sliding_window", false);
            }
            case QWEN3 -> { // Qwen/Qwen3-0.6B
                c.put("architectures", List.of("Qwen3ForCausalLM"));
                c.put("attention_bias", false);
                c.put("head_dim", m.headDim());
                c.put("hidden_act", "silu");
                c.put("max_window_layers", m.layers());
                c.put("rms_norm_eps", 1e-6);
                c.put("rope_scaling", null);
                c.put("rope_theta", 1000000.0);
                c.put("sliding_window", null);
                c.put("tie_word_embeddings", true);
                c.put("transformers_version", "4.51.0"); // the first release with qwen3
                c.put("use_sliding_window", false);
            }
            case PHI3 -> { // microsoft/Phi-3-mini-4k-instruct
                c.put("architectures", List.of("Phi3ForCausalLM"));
                c.put("attention_bias", false);
                c.put("embd_pdrop", 0.0);
                c.put("hidden_act", "silu");
                c.put("original_max_position_embeddings", m.context());
                c.put("pad_token_id", m.eosId());
                c.put("resid_pdrop", 0.0);
                c.put("rms_norm_eps", 1e-5);
                c.put("rope_scaling", null);
                c.put("rope_theta", 10000.0);
                c.put("sliding_window", 2047);
                c.put("tie_word_embeddings", false);
            }
            case GEMMA -> { // google/gemma-2b
                c.put("architectures", List.of("GemmaForCausalLM"));
                c.put("attention_bias", false);
                c.put("head_dim", m.headDim());
                c.put("hidden_act", "gelu");
                // Not in the original gemma-2b file (transformers 4.44 then falls back to it anyway);
                // written so that every transformers version computes the tanh GELU.
                c.put("hidden_activation", "gelu_pytorch_tanh");
                c.put("pad_token_id", 0);
                c.put("rms_norm_eps", 1e-6);
                c.put("rope_scaling", null);
                c.put("rope_theta", 10000.0);
            }
        }
        return c;
    }

    /** Tensors in state-dict order (embedding, layers, final norm, lm_head) with HF names. */
    static List<SafetensorsWriter.Planned> plan(ModelSpec s, Dtype dtype) {
        List<SafetensorsWriter.Planned> out = new ArrayList<>();
        int d = s.hidden();
        out.add(matrix("model.embed_tokens.weight", dtype, s.vocab(), d));
        for (int i = 0; i < s.layers(); i++) {
            String p = "model.layers." + i + ".";
            out.add(vector(p + "input_layernorm.weight", dtype, d));
            if (s.architecture() == Architecture.PHI3) {
                out.add(matrix(p + "self_attn.qkv_proj.weight", dtype, s.qDim() + 2 * s.kvDim(), d));
            } else {
                out.add(matrix(p + "self_attn.q_proj.weight", dtype, s.qDim(), d));
                out.add(matrix(p + "self_attn.k_proj.weight", dtype, s.kvDim(), d));
                out.add(matrix(p + "self_attn.v_proj.weight", dtype, s.kvDim(), d));
            }
            if (s.qkvBias()) {
                out.add(vector(p + "self_attn.q_proj.bias", dtype, s.qDim()));
                out.add(vector(p + "self_attn.k_proj.bias", dtype, s.kvDim()));
                out.add(vector(p + "self_attn.v_proj.bias", dtype, s.kvDim()));
            }
            if (s.qkNorm()) {
                out.add(vector(p + "self_attn.q_norm.weight", dtype, s.headDim()));
                out.add(vector(p + "self_attn.k_norm.weight", dtype, s.headDim()));
            }
            out.add(matrix(p + "self_attn.o_proj.weight", dtype, d, s.qDim()));
            out.add(vector(p + "post_attention_layernorm.weight", dtype, d));
            if (s.architecture() == Architecture.PHI3) {
                out.add(matrix(p + "mlp.gate_up_proj.weight", dtype, 2 * s.intermediate(), d));
            } else {
                out.add(matrix(p + "mlp.gate_proj.weight", dtype, s.intermediate(), d));
                out.add(matrix(p + "mlp.up_proj.weight", dtype, s.intermediate(), d));
            }
            out.add(matrix(p + "mlp.down_proj.weight", dtype, d, s.intermediate()));
        }
        out.add(vector("model.norm.weight", dtype, d));
        if (!s.tiedEmbeddings()) {
            out.add(matrix("lm_head.weight", dtype, s.vocab(), d));
        }
        return out;
    }

    private static SafetensorsWriter.Planned matrix(String name, Dtype dtype, int rows, int cols) {
        return new SafetensorsWriter.Planned(name, dtype, rows, cols, false);
    }

    private static SafetensorsWriter.Planned vector(String name, Dtype dtype, int length) {
        return new SafetensorsWriter.Planned(name, dtype, 1, length, true);
    }

    private static long writeWeights(Path tmp, ModelSpec spec, List<SafetensorsWriter.Planned> tensors, long seed,
            int shards, List<Path> files, Path target) {
        Map<String, String> metadata = Map.of("format", "pt");
        // Norms multiply by w (by 1 + w for gemma): centre the stored w at 1 (gemma: 0).
        Values values = new Values(seed, spec.normForm() == NormForm.ONE_PLUS_WEIGHT ? 0f : 1f);
        long total = tensors.stream().mapToLong(SafetensorsWriter.Planned::byteLength).sum();
        if (shards == 1) {
            SafetensorsWriter.write(tmp.resolve(HfTensors.SINGLE), sortedByName(tensors), metadata, values);
            files.add(target.resolve(HfTensors.SINGLE));
            return total;
        }
        Map<String, String> weightMap = new TreeMap<>();
        List<List<SafetensorsWriter.Planned>> groups = split(tensors, shards, total);
        for (int k = 0; k < groups.size(); k++) {
            String name = String.format("model-%05d-of-%05d.safetensors", k + 1, shards);
            SafetensorsWriter.write(tmp.resolve(name), sortedByName(groups.get(k)), metadata, values);
            groups.get(k).forEach(t -> weightMap.put(t.name(), name));
            files.add(target.resolve(name));
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("metadata", Map.of("total_size", total));
        index.put("weight_map", weightMap);
        writeText(tmp.resolve(HfTensors.INDEX), pretty(index));
        files.add(target.resolve(HfTensors.INDEX));
        return total;
    }

    /** Consecutive groups of about total/K bytes each, none empty. */
    static List<List<SafetensorsWriter.Planned>> split(List<SafetensorsWriter.Planned> tensors, int shards, long total) {
        List<List<SafetensorsWriter.Planned>> groups = new ArrayList<>();
        List<SafetensorsWriter.Planned> current = new ArrayList<>();
        long written = 0;
        for (int i = 0; i < tensors.size(); i++) {
            SafetensorsWriter.Planned t = tensors.get(i);
            current.add(t);
            written += t.byteLength();
            int groupsLeft = shards - groups.size() - 1;
            int tensorsLeft = tensors.size() - i - 1;
            boolean reachedShare = written * shards >= total * (groups.size() + 1);
            if (groupsLeft > 0 && (reachedShare || tensorsLeft == groupsLeft)) {
                groups.add(current);
                current = new ArrayList<>();
            }
        }
        groups.add(current);
        return groups;
    }

    private static List<SafetensorsWriter.Planned> sortedByName(List<SafetensorsWriter.Planned> tensors) {
        List<SafetensorsWriter.Planned> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(SafetensorsWriter.Planned::name));
        return sorted;
    }

    /** Per-tensor random streams: a tensor's values depend only on the seed and its name. */
    private static final class Values implements SafetensorsWriter.RowSource {
        private static final float BOUND = (float) (STD * Math.sqrt(3)); // uniform(−b, b) has std b/√3
        private final long seed;
        private final float normCentre;
        private SplittableRandom rng;

        Values(long seed, float normCentre) {
            this.seed = seed;
            this.normCentre = normCentre;
        }

        @Override
        public void fill(SafetensorsWriter.Planned t, int row, float[] dst) {
            if (row == 0) { // rows are produced in order, so each tensor starts its own stream
                rng = new SplittableRandom(seed ^ fnv1a(t.name()));
            }
            float centre = t.name().endsWith("norm.weight") ? normCentre : 0f;
            for (int i = 0; i < dst.length; i++) {
                dst[i] = centre + BOUND * ((rng.nextInt() >> 8) * 0x1p-23f); // 24 random bits → [−1, 1)
            }
        }
    }

    /** FNV-1a over the UTF-8 bytes: a hash that, unlike String.hashCode mixing, is stable and 64-bit. */
    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static void checkTarget(Path target, boolean force) {
        if (!Files.exists(target)) {
            return;
        }
        if (!force) {
            throw new FornaxException(target + " already exists (use --force to replace it)");
        }
        if (!Files.isRegularFile(target.resolve(HfConfig.CONFIG))) {
            throw new FornaxException(target + " exists and is not a model directory (no config.json); not replacing it");
        }
    }

    static String pretty(Object value) {
        // Python json.dumps(indent=2) style, as HF writes config.json: "key": value, one item per line.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter);
        printer.indentArraysWith(indenter);
        try {
            JsonNode tree = Json.MAPPER.valueToTree(value);
            return Json.MAPPER.writer(printer).writeValueAsString(tree) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot write: " + IoErrors.describe(e), e);
        }
    }
}
