package dev.fornax.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.io.JsonFiles;
import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.NormForm;
import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HF {@code config.json} (+ {@code generation_config.json}) → {@link ModelSpec}, per model_type, as
 * transformers v4.44 reads it (qwen3, added in v4.51: as Qwen3Config reads it). Fields that define
 * tensor shapes are required; the others take the config class defaults. Everything transformers
 * would compute differently from what the engine implements (biases on o_proj, sliding windows, other activations, other RoPE types) is refused
 * with an error naming the field.
 */
public final class HfConfig {
    public static final String CONFIG = "config.json";
    public static final String GENERATION_CONFIG = "generation_config.json";

    /** RoPE types of transformers' modeling_rope_utils that the engine implements. */
    static final String SUPPORTED_ROPE_TYPES = "default, linear, llama3";

    private HfConfig() {}

    /** Reads {@code dir/config.json} and, when present, {@code dir/generation_config.json}. */
    public static ModelSpec read(Path dir) {
        Path configFile = dir.resolve(CONFIG);
        if (Files.exists(configFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            dev.fornax.io.InputFiles.requireRegular(configFile, "");
        }
        if (!Files.isRegularFile(configFile)) {
            throw new FornaxException(dir + ": no " + CONFIG + " (not an HF model directory)");
        }
        ConfigFields config = new ConfigFields(configFile, Json.read(configFile));
        Path genFile = dir.resolve(GENERATION_CONFIG);
        ConfigFields generation = dev.fornax.io.InputFiles.optional(genFile) ? new ConfigFields(genFile, Json.read(genFile)) : null;
        return parse(config, generation);
    }

    static ModelSpec parse(ConfigFields c, ConfigFields generation) {
        String modelType = c.requireString("model_type");
        Architecture arch = Architecture.fromModelType(modelType);
        if (arch == null) {
            throw c.error("model_type", "'" + modelType + "' is not supported (supported: " + Architecture.supported() + ")");
        }
        int hidden = c.requirePositiveInt("hidden_size");
        int layers = c.requirePositiveInt("num_hidden_layers");
        int heads = c.requirePositiveInt("num_attention_heads");
        int kvHeads = c.optPositiveInt("num_key_value_heads", heads);
        int intermediate = c.requirePositiveInt("intermediate_size");
        int vocab = c.requirePositiveInt("vocab_size");
        if (heads % kvHeads != 0) {
            throw c.error("num_attention_heads", heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim = headDim(c, arch, hidden, heads);
        if (headDim % 2 != 0) {
            throw c.error("head_dim", headDim + " is odd; rotary embeddings rotate pairs of elements");
        }

        Defaults d = Defaults.of(arch);
        int context = c.optPositiveInt("max_position_embeddings", d.maxPositions);
        double eps = c.optPositiveDouble("rms_norm_eps", d.normEps);
        boolean tied = c.optBoolean("tie_word_embeddings", d.tied);
        double theta = ropeTheta(c, arch);
        RopeScaling scaling = ropeScaling(c, arch);
        Activation activation = activation(c, arch);
        refuseUnsupported(c, arch);

        int bos = c.optTokenId("bos_token_id");
        if (bos >= vocab) {
            throw c.error("bos_token_id", bos + " is outside the vocabulary of " + vocab);
        }
        // generate() reads generation_config.json when there is one, else the model config.
        ConfigFields eosSource = generation != null && generation.has("eos_token_id") ? generation : c;
        List<Integer> eos = eosSource.optTokenIds("eos_token_id");
        for (int id : eos) {
            if (id >= vocab) {
                throw eosSource.error("eos_token_id", id + " is outside the vocabulary of " + vocab
                        + " (vocab_size in " + c.file().getFileName() + ")");
            }
        }
        requireSizesFit(c, hidden, layers, heads, kvHeads, headDim, intermediate, vocab);
        return new ModelSpec(arch, hidden, layers, heads, kvHeads, headDim, intermediate, vocab, context, eps,
                arch == Architecture.GEMMA ? NormForm.ONE_PLUS_WEIGHT : NormForm.WEIGHT,
                new Rope(theta, scaling), activation,
                arch == Architecture.QWEN2, // Qwen2Attention: bias=True on q/k/v, False on o_proj (qwen3: attention_bias, refused)
                tied,
                arch == Architecture.GEMMA, // GemmaModel: hidden_states * normalizer (sqrt(hidden_size))
                bos, eos);
    }

    /**
     * Every count the loaders, engines and compiler derive (q/k/v widths, phi3's fused rows, the
     * parameter count, its float32 bytes) in exact arithmetic: a crafted config must not wrap around.
     */
    private static void requireSizesFit(ConfigFields c, int hidden, int layers, int heads, int kvHeads, int headDim,
            int intermediate, int vocab) {
        try {
            int q = Math.multiplyExact(heads, headDim);
            int kv = Math.multiplyExact(kvHeads, headDim);
            Math.addExact(q, Math.multiplyExact(2, kv)); // phi3's fused qkv_proj rows
            Math.multiplyExact(2, intermediate); // phi3's fused gate_up_proj rows
            ModelSpec probe = new ModelSpec(Architecture.LLAMA, hidden, layers, heads, kvHeads, headDim, intermediate,
                    vocab, 1, 1e-6, NormForm.WEIGHT, new Rope(10000.0, new RopeScaling.None()), Activation.SILU, true,
                    false, false, -1, List.of());
            Math.multiplyExact(probe.parameters(), 4L);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw c.error("hidden_size", hidden + " with num_hidden_layers " + layers + ", num_attention_heads " + heads
                    + ", head_dim " + headDim + ", intermediate_size " + intermediate + " and vocab_size " + vocab
                    + " describes more weights than 64-bit sizes can count");
        }
    }

    /** transformers 4.44 defaults of the config classes for the optional fields. */
    private record Defaults(int maxPositions, double normEps, boolean tied) {
        static Defaults of(Architecture arch) {
            return switch (arch) {
                case LLAMA -> new Defaults(2048, 1e-6, false);
                case QWEN2 -> new Defaults(32768, 1e-6, false);
                case QWEN3 -> new Defaults(32768, 1e-6, false); // Qwen3Config
                case PHI3 -> new Defaults(4096, 1e-5, false);
                case GEMMA -> new Defaults(8192, 1e-6, true);
            };
        }
    }

    private static int headDim(ConfigFields c, Architecture arch, int hidden, int heads) {
        if (arch == Architecture.GEMMA) {
            // Gemma's attention uses config.head_dim, which may differ from hidden/heads (7B: 256 ≠ 3072/16).
            return c.requirePositiveInt("head_dim");
        }
        if (arch == Architecture.QWEN3) {
            // Qwen3Attention: head_dim = config.head_dim, a Qwen3Config field defaulting to 128 (so never
            // hidden/heads): Qwen3-0.6B has 16 heads × 128 = 2048 ≠ hidden_size 1024.
            return c.optPositiveInt("head_dim", 128);
        }
        // llama, qwen2, phi3 in transformers 4.44: head_dim = hidden_size // num_heads, divisibility required;
        // a config head_dim (written by newer transformers) is informational and must agree.
        if (hidden % heads != 0) {
            throw c.error("hidden_size", hidden + " is not divisible by num_attention_heads " + heads);
        }
        int headDim = hidden / heads;
        if (c.has("head_dim") && c.requirePositiveInt("head_dim") != headDim) {
            throw c.error("head_dim", c.get("head_dim") + " differs from hidden_size / num_attention_heads = " + headDim
                    + "; transformers 4.44 uses the latter for " + arch.modelType() + ", so this model is not supported");
        }
        return headDim;
    }

    /**
     * rope_theta, default 10000. Newer transformers (v5) write the RoPE settings as one
     * {@code rope_parameters} object ({@code rope_theta}, {@code rope_type}); for qwen3, whose
     * configs come from those versions too, that object is read, and only its default type accepted.
     */
    private static double ropeTheta(ConfigFields c, Architecture arch) {
        JsonNode params = c.get("rope_parameters");
        if (arch != Architecture.QWEN3 || params == null) {
            return c.optPositiveDouble("rope_theta", 10000.0);
        }
        if (!params.isObject()) {
            throw c.error("rope_parameters", "must be an object or null, got " + JsonFiles.shown(params));
        }
        ConfigFields p = new ConfigFields(c.file(), params, "rope_parameters.");
        String type = p.optString("rope_type", "default");
        if (!type.equals("default")) {
            throw p.error("rope_type", "'" + type + "' is not supported for qwen3 (only default)");
        }
        double theta = p.optPositiveDouble("rope_theta", c.optPositiveDouble("rope_theta", 10000.0));
        if (c.has("rope_theta") && c.optPositiveDouble("rope_theta", theta) != theta) {
            throw c.error("rope_theta", c.get("rope_theta") + " differs from rope_parameters.rope_theta " + theta);
        }
        return theta;
    }

    private static RopeScaling ropeScaling(ConfigFields c, Architecture arch) {
        JsonNode node = c.get("rope_scaling");
        if (node == null) {
            return new RopeScaling.None();
        }
        if (!node.isObject()) {
            throw c.error("rope_scaling", "must be an object or null, got " + JsonFiles.shown(node));
        }
        // transformers 4.44 (LlamaConfig): a legacy 'type' key is copied over 'rope_type'.
        JsonNode typeNode = node.has("type") ? node.get("type") : node.get("rope_type");
        String type = typeNode == null || !typeNode.isTextual() ? String.valueOf(typeNode) : typeNode.asText();
        if (arch != Architecture.LLAMA) {
            throw c.error("rope_scaling", "of type '" + type + "' is not supported yet for " + arch.modelType()
                    + " (only null)");
        }
        ConfigFields s = new ConfigFields(c.file(), node, "rope_scaling.");
        switch (type) {
            case "default":
                return new RopeScaling.None();
            case "linear":
                return new RopeScaling.Linear(s.requirePositiveDouble("factor"));
            case "llama3": {
                double factor = s.requirePositiveDouble("factor");
                double low = s.requirePositiveDouble("low_freq_factor");
                double high = s.requirePositiveDouble("high_freq_factor");
                int original = s.requirePositiveInt("original_max_position_embeddings");
                if (!(high > low)) {
                    throw s.error("high_freq_factor", high + " must exceed low_freq_factor " + low);
                }
                return new RopeScaling.Llama3(factor, low, high, original);
            }
            default:
                throw c.error("rope_scaling", "type '" + type + "' is not supported (supported: "
                        + SUPPORTED_ROPE_TYPES + ")");
        }
    }

    private static Activation activation(ConfigFields c, Architecture arch) {
        if (arch == Architecture.GEMMA) {
            // transformers 4.44 GemmaMLP uses hidden_activation and, when it is null, gelu_pytorch_tanh;
            // the legacy hidden_act ("gelu" in the original Gemma configs) is ignored.
            String act = c.optString("hidden_activation", "gelu_pytorch_tanh");
            if (!act.equals("gelu_pytorch_tanh")) {
                throw c.error("hidden_activation", "'" + act + "' is not supported (supported: gelu_pytorch_tanh)");
            }
            return Activation.GELU_TANH;
        }
        String act = c.optString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw c.error("hidden_act", "'" + act + "' is not supported for " + arch.modelType() + " (supported: silu)");
        }
        return Activation.SILU;
    }

    /** Options that would change what transformers computes into something the engine does not implement. */
    private static void refuseUnsupported(ConfigFields c, Architecture arch) {
        if ((arch == Architecture.LLAMA || arch == Architecture.GEMMA) && c.optBoolean("attention_bias", false)) {
            throw c.error("attention_bias", "true (biases on q/k/v/o projections) is not supported for " + arch.modelType());
        }
        if (arch == Architecture.LLAMA && c.optBoolean("mlp_bias", false)) {
            throw c.error("mlp_bias", "true is not supported");
        }
        if ((arch == Architecture.QWEN2 || arch == Architecture.QWEN3) && c.optBoolean("use_sliding_window", false)) {
            throw c.error("use_sliding_window", "true (sliding-window attention) is not supported");
        }
        if (arch == Architecture.QWEN3) {
            // Qwen3Attention: attention_bias puts biases on q/k/v AND o_proj.
            if (c.optBoolean("attention_bias", false)) {
                throw c.error("attention_bias", "true (biases on q/k/v/o projections) is not supported for qwen3");
            }
            // Newer transformers list each layer's attention; only full attention is implemented.
            JsonNode types = c.get("layer_types");
            if (types != null) {
                if (!types.isArray()) {
                    throw c.error("layer_types", "must be a list, got " + JsonFiles.shown(types));
                }
                for (JsonNode t : types) {
                    if (!t.isTextual() || !t.asText().equals("full_attention")) {
                        throw c.error("layer_types", "holds " + JsonFiles.shown(t) + " (supported: full_attention)");
                    }
                }
            }
        }
    }
}
