package dev.fornax.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.RopeScaling;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.LoadedWeights;
import dev.fornax.model.ModelLoader;
import dev.fornax.model.WeightCheck;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fornax inspect MODEL [--json]}: what a model is, and whether its weights are all finite. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Shows a model's architecture, dimensions and parameter count.",
            "Reads every weight once and fails on NaN or infinite values (skip with --no-check)."
        })
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "HF model directory, .gguf file, llama2.c .bin checkpoint or"
            + " Hugging Face repo id (org/name[@revision])")
    Path model;

    @Mixin
    HubOption hub;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--no-check", description = "do not read the weights (faster on large models)")
    boolean noCheck;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer file (default: found next to MODEL)")
    Path tokenizer;

    @Override
    public Integer call() throws Exception {
        try (LoadedModel m = ModelLoader.load(hub.resolve(model), tokenizer)) {
            Long checked = noCheck ? null : WeightCheck.requireFinite(m.weights());
            Map<String, Object> info = describe(m, checked);
            if (json) {
                DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
                System.out.println(new ObjectMapper().writer(pp).writeValueAsString(info));
            } else {
                info.forEach((k, v) -> System.out.printf("%-18s %s%n", k + ":", v == null ? "-" : v));
            }
        }
        return 0;
    }

    /** The inspect keys in a fixed order (later issues and outside checks read the JSON form). */
    static Map<String, Object> describe(LoadedModel m, Long checkedValues) {
        ModelSpec s = m.weights().spec();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_type", s.architecture().modelType());
        out.put("hidden_size", s.hidden());
        out.put("num_layers", s.layers());
        out.put("num_heads", s.heads());
        out.put("num_kv_heads", s.kvHeads());
        out.put("head_dim", s.headDim());
        out.put("intermediate_size", s.intermediate());
        out.put("vocab_size", s.vocab());
        out.put("parameters", s.parameters());
        out.put("context_length", s.contextLength());
        out.put("rope_theta", s.rope().theta());
        out.put("rope_scaling", rope(s.rope().scaling()));
        out.put("norm_eps", s.normEps());
        out.put("norm_form", s.normForm().name().toLowerCase(Locale.ROOT));
        out.put("activation", s.activation().name().toLowerCase(Locale.ROOT));
        out.put("tied_embeddings", s.tiedEmbeddings());
        out.put("qkv_bias", s.qkvBias());
        out.put("scale_embeddings", s.scaleEmbeddings());
        out.put("bos_token_id", s.bosId() < 0 ? null : s.bosId());
        out.put("eos_token_ids", s.eosIds());
        if (m.weights() instanceof LoadedWeights w) {
            out.put("format", w.format());
            out.put("storage", w.storage());
            out.put("tensors", w.tensorCount());
        }
        out.put("tokenizer", m.tokenizer() == null ? null : m.tokenizer().getClass().getSimpleName());
        out.put("tokenizer_vocab_size", m.tokenizer() == null ? null : m.tokenizer().vocabSize());
        out.put("weights_checked", checkedValues != null);
        return out;
    }

    private static Object rope(RopeScaling scaling) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (scaling instanceof RopeScaling.Linear l) {
            r.put("rope_type", "linear");
            r.put("factor", l.factor());
        } else if (scaling instanceof RopeScaling.Llama3 l) {
            r.put("rope_type", "llama3");
            r.put("factor", l.factor());
            r.put("low_freq_factor", l.lowFreqFactor());
            r.put("high_freq_factor", l.highFreqFactor());
            r.put("original_max_position_embeddings", l.originalMaxPositions());
        } else if (scaling instanceof RopeScaling.Frequencies f) {
            r.put("rope_type", "frequency_factors");
            r.put("factors", f.factors());
        } else {
            return null;
        }
        return r;
    }
}
