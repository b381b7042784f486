package dev.fornax.cli;

import dev.fornax.engine.Engines;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.quant.WeightFormat;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command that runs a model shares: MODEL (a path or a hub repo id, --download), --engine, --tokenizer. */
final class EngineOptions {
    @Parameters(index = "0", paramLabel = "MODEL",
            description = "HF model directory (config.json + safetensors), .gguf file, llama2.c checkpoint (.bin) or"
                    + " Hugging Face repo id (org/name[@revision], read from the HF cache)")
    Path model;

    @Mixin
    HubOption hub;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = Engines.DEFAULT,
            completionCandidates = EngineNames.class,
            description = "engine that runs the model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String engine;

    /** The registered engine names, for help and completion (validated by {@link Engines#factory}). */
    static final class EngineNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Engines.names().iterator();
        }
    }

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer file (tokenizer.json or llama2.c tok*.bin) instead of the one next to MODEL")
    Path tokenizer;

    @Option(names = "--weight-bits", paramLabel = "B", defaultValue = "8",
            description = "weights of the integer engine (--engine int): 8 (per-row scales) or 4 (per-group scales,"
                    + " docs/NUMERICS.md) (default: ${DEFAULT-VALUE})")
    int weightBits;

    @Option(names = "--group-size", paramLabel = "G",
            description = "with --weight-bits 4: weights per group scale, a power of two in 32..256 (default: 32)")
    Integer groupSize;

    /** The weight format of --weight-bits/--group-size. */
    WeightFormat format() {
        return WeightFormat.of(weightBits, groupSize);
    }

    /** Fails on an unknown --engine (or a format it cannot take) before the model is read. */
    Engines.Factory factory() {
        return Engines.factory(engine, format());
    }

    LoadedModel load() {
        return ModelLoader.load(hub.resolve(model), tokenizer);
    }
}
