package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fornax.FornaxException;
import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.RopeScaling;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** config.json → ModelSpec per model_type, and an error naming the field for each bad config. */
class HfConfigTest {
    private static final Path FILE = Path.of("/m/config.json");

    private static ObjectNode base(String modelType) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("model_type", modelType);
        c.put("hidden_size", 64);
        c.put("num_hidden_layers", 2);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 2);
        c.put("intermediate_size", 128);
        c.put("vocab_size", 300);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        if (modelType.equals("gemma")) {
            c.put("head_dim", 32);
        }
        return c;
    }

    private static ModelSpec parse(ObjectNode c) {
        return HfConfig.parse(new ConfigFields(FILE, c), null);
    }

    private static void fails(ObjectNode c, String... fragments) {
        assertThatThrownBy(() -> parse(c)).isInstanceOf(FornaxException.class)
                .hasMessageStartingWith(FILE + ": ")
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    @Test
    void qwen3TakesHeadDimFromTheConfigAndRefusesWhatItWouldComputeDifferently() {
        ObjectNode c = base("qwen3");
        ModelSpec s = parse(c);
        // Qwen3Config: head_dim 128 by default (never hidden/heads), no biases, untied, 32768 positions
        assertThat(s.headDim()).isEqualTo(128);
        assertThat(s.qDim()).isEqualTo(512);
        assertThat(s.qkvBias()).isFalse();
        assertThat(s.qkNorm()).isTrue();
        assertThat(s.tiedEmbeddings()).isFalse();
        assertThat(s.contextLength()).isEqualTo(32768);
        assertThat(s.rope().theta()).isEqualTo(10000.0);
        c.put("head_dim", 24);
        assertThat(parse(c).headDim()).isEqualTo(24);
        // transformers v5 writes rope_parameters
        ObjectNode rp = c.putObject("rope_parameters");
        rp.put("rope_theta", 1000000.0);
        rp.put("rope_type", "default");
        assertThat(parse(c).rope().theta()).isEqualTo(1e6);
        rp.put("rope_type", "yarn");
        fails(c, "rope_parameters.rope_type 'yarn' is not supported for qwen3");
        c.remove("rope_parameters");

        fails(base("qwen3").put("attention_bias", true), "attention_bias true (biases on q/k/v/o projections)");
        fails(base("qwen3").put("use_sliding_window", true), "use_sliding_window true");
        ObjectNode sliding = base("qwen3");
        sliding.putArray("layer_types").add("full_attention").add("sliding_attention");
        fails(sliding, "layer_types holds \"sliding_attention\"");
        ObjectNode full = base("qwen3");
        full.putArray("layer_types").add("full_attention").add("full_attention");
        assertThat(parse(full).layers()).isEqualTo(2);
        fails(base("qwen3").put("hidden_act", "gelu"), "hidden_act 'gelu' is not supported for qwen3");
        ObjectNode scaled = base("qwen3");
        scaled.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 4.0);
        fails(scaled, "rope_scaling of type 'yarn' is not supported yet for qwen3");
    }

    @Test
    void defaultsFollowTransformers444ConfigClasses() {
        ObjectNode c = base("llama");
        c.remove("num_key_value_heads");
        ModelSpec s = parse(c);
        assertThat(s.kvHeads()).isEqualTo(4); // num_key_value_heads None → num_attention_heads
        assertThat(s.tiedEmbeddings()).isFalse(); // LlamaConfig tie_word_embeddings=False
        assertThat(s.rope().theta()).isEqualTo(10000.0);
        assertThat(s.contextLength()).isEqualTo(2048);
        assertThat(s.normEps()).isEqualTo(1e-6);
        assertThat(s.headDim()).isEqualTo(16);
        assertThat(parse(base("gemma")).tiedEmbeddings()).isTrue(); // GemmaConfig tie_word_embeddings=True
        assertThat(parse(base("phi3")).normEps()).isEqualTo(1e-5);
        assertThat(parse(base("qwen2")).qkvBias()).isTrue();
    }

    @Test
    void unsupportedModelTypeListsTheSupportedOnes() {
        fails(base("mistral"), "model_type 'mistral' is not supported (supported: llama, qwen2, qwen3, phi3, gemma)");
        ObjectNode c = base("llama");
        c.remove("model_type");
        fails(c, "model_type is missing");
    }

    @Test
    void missingAndContradictoryDimensions() {
        ObjectNode c = base("llama");
        c.remove("hidden_size");
        fails(c, "hidden_size is missing");
        fails(base("llama").put("num_key_value_heads", 3), "num_attention_heads 4 is not a multiple of num_key_value_heads 3");
        fails(base("qwen2").put("hidden_size", 66), "hidden_size 66 is not divisible by num_attention_heads 4");
        fails(base("llama").put("vocab_size", "many"), "vocab_size must be a positive integer");
        fails(base("llama").put("intermediate_size", 0), "intermediate_size must be a positive integer, got 0");
        fails(base("llama").put("eos_token_id", 300), "eos_token_id 300 is outside the vocabulary of 300");
    }

    @Test
    void llamaHeadDimIsHiddenOverHeads() {
        assertThat(parse(base("llama").put("head_dim", 16)).headDim()).isEqualTo(16);
        fails(base("llama").put("head_dim", 32), "head_dim 32 differs from hidden_size / num_attention_heads = 16");
    }

    @Test
    void gemmaTakesHeadDimAndActivationFromItsOwnFields() {
        ModelSpec s = parse(base("gemma").put("hidden_act", "gelu"));
        assertThat(s.headDim()).isEqualTo(32);
        assertThat(s.activation()).isEqualTo(Activation.GELU_TANH); // hidden_activation null → gelu_pytorch_tanh
        assertThat(parse(base("gemma").put("hidden_activation", "gelu_pytorch_tanh")).activation()).isEqualTo(Activation.GELU_TANH);
        fails(base("gemma").put("hidden_activation", "gelu"), "hidden_activation 'gelu' is not supported");
        ObjectNode noHeadDim = base("gemma");
        noHeadDim.remove("head_dim");
        fails(noHeadDim, "head_dim is missing");
        fails(base("llama").put("hidden_act", "gelu"), "hidden_act 'gelu' is not supported for llama (supported: silu)");
    }

    @Test
    void ropeScalingSpellings() {
        ObjectNode llama3 = base("llama");
        llama3.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
                .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 8192);
        assertThat(parse(llama3).rope().scaling()).isEqualTo(new RopeScaling.Llama3(8, 1, 4, 8192));

        ObjectNode legacy = base("llama");
        legacy.putObject("rope_scaling").put("type", "linear").put("factor", 2.0);
        assertThat(parse(legacy).rope().scaling()).isEqualTo(new RopeScaling.Linear(2.0));

        ObjectNode modern = base("llama");
        modern.putObject("rope_scaling").put("rope_type", "linear").put("factor", 4.0);
        assertThat(parse(modern).rope().scaling()).isEqualTo(new RopeScaling.Linear(4.0));

        ObjectNode dflt = base("llama");
        dflt.putObject("rope_scaling").put("rope_type", "default");
        assertThat(parse(dflt).rope().scaling()).isEqualTo(new RopeScaling.None());
    }

    @Test
    void ropeScalingErrors() {
        ObjectNode dynamic = base("llama");
        dynamic.putObject("rope_scaling").put("type", "dynamic").put("factor", 2.0);
        fails(dynamic, "rope_scaling type 'dynamic' is not supported (supported: default, linear, llama3)");

        ObjectNode incomplete = base("llama");
        incomplete.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0).put("high_freq_factor", 4.0)
                .put("original_max_position_embeddings", 8192);
        fails(incomplete, "rope_scaling.low_freq_factor is missing");

        ObjectNode longrope = base("phi3");
        longrope.putObject("rope_scaling").put("type", "longrope");
        fails(longrope, "rope_scaling of type 'longrope' is not supported yet for phi3");
        ObjectNode su = base("phi3");
        su.putObject("rope_scaling").put("type", "su");
        fails(su, "'su' is not supported yet");
        assertThat(parse(base("phi3").putNull("rope_scaling")).rope().scaling()).isEqualTo(new RopeScaling.None());
    }

    @Test
    void optionsTheEngineDoesNotImplementAreRefused() {
        fails(base("qwen2").put("use_sliding_window", true), "use_sliding_window true");
        assertThat(parse(base("qwen2").put("use_sliding_window", false).put("sliding_window", 4096)).architecture())
                .isEqualTo(Architecture.QWEN2);
        fails(base("llama").put("attention_bias", true), "attention_bias true");
        fails(base("llama").put("mlp_bias", true), "mlp_bias true");
    }

    @Test
    void eosFromGenerationConfigWinsAndMayBeAList() {
        ObjectNode c = base("phi3");
        c.putArray("eos_token_id").add(2).add(7);
        assertThat(parse(c).eosIds()).containsExactly(2, 7);
        ObjectNode gen = Json.MAPPER.createObjectNode();
        gen.putArray("eos_token_id").add(5).add(6).add(9);
        ModelSpec s = HfConfig.parse(new ConfigFields(FILE, base("phi3")), new ConfigFields(Path.of("/m/generation_config.json"), gen));
        assertThat(s.eosIds()).containsExactly(5, 6, 9);
        ModelSpec noEos = parse((ObjectNode) base("llama").putNull("eos_token_id").putNull("bos_token_id"));
        assertThat(noEos.eosIds()).isEmpty();
        assertThat(noEos.bosId()).isEqualTo(-1);
    }
}
