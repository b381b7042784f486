package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.model.Dtype;
import dev.fornax.model.TinyModel;
import dev.fornax.model.TinyWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fornax tiny --arch ARCH [--preset NAME] [dims…] -o DIR [--seed S] [--dtype bf16|f32] [--shards K]}. */
@Command(
        name = "tiny",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a random-weight model in HF format (config.json + safetensors), deterministic for a seed.",
            "Presets carry the exact configs of real models: qwen2-0.5b, qwen3-0.6b,",
            "llama-3.2-1b, phi-3-mini, gemma-2b.",
            "Dimension options override the preset (or the small defaults)."
        })
final class TinyCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, paramLabel = "ARCH", description = "llama, qwen2, qwen3, phi3 or gemma")
    String arch;

    @Option(names = "--preset", paramLabel = "NAME", description = "qwen2-0.5b, qwen3-0.6b, llama-3.2-1b, phi-3-mini, gemma-2b")
    String preset;

    @Option(names = "--hidden", paramLabel = "N", description = "hidden size")
    Integer hidden;

    @Option(names = "--layers", paramLabel = "N", description = "number of decoder layers")
    Integer layers;

    @Option(names = "--heads", paramLabel = "N", description = "query heads")
    Integer heads;

    @Option(names = "--kv-heads", paramLabel = "N", description = "key/value heads")
    Integer kvHeads;

    @Option(names = "--head-dim", paramLabel = "N", description = "head dimension (gemma and qwen3; others use hidden/heads)")
    Integer headDim;

    @Option(names = "--intermediate", paramLabel = "N", description = "MLP width")
    Integer intermediate;

    @Option(names = "--vocab", paramLabel = "N", description = "vocabulary size")
    Integer vocab;

    @Option(names = "--context", paramLabel = "N", description = "max_position_embeddings")
    Integer context;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dtype", paramLabel = "bf16|f32", defaultValue = "bf16", description = "storage dtype (default ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--shards", paramLabel = "K", defaultValue = "1", description = "number of safetensors shards (default ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--force", description = "replace DIR if it already holds a model")
    boolean force;

    @Override
    public Integer call() {
        Architecture a = Architecture.fromModelType(arch);
        if (a == null) {
            throw new FornaxException("--arch " + arch + " is not supported (supported: " + Architecture.supported() + ")");
        }
        TinyModel base = preset == null ? TinyModel.defaults(a) : TinyModel.preset(preset);
        if (base.arch() != a) {
            throw new FornaxException("--preset " + preset + " is a " + base.arch().modelType() + " model, not --arch " + arch);
        }
        TinyModel model = base.with(hidden, layers, heads, kvHeads, headDim, intermediate, vocab, context);
        Dtype d = switch (dtype.toLowerCase()) {
            case "bf16" -> Dtype.BF16;
            case "f32" -> Dtype.F32;
            default -> throw new FornaxException("--dtype " + dtype + " is not supported (bf16, f32)");
        };
        TinyWriter.Result r = TinyWriter.write(model, out, seed, d, shards, force);
        System.out.printf("wrote %s: %s, %d layers, hidden %d, heads %d/%d, head_dim %d, intermediate %d, vocab %d, "
                        + "%,d parameters, %,d weight bytes in %d file(s)%n",
                r.dir(), a.modelType(), model.layers(), model.hidden(), model.heads(), model.kvHeads(), model.headDim(),
                model.intermediate(), model.vocab(), r.spec().parameters(), r.bytes(), r.files().size());
        return 0;
    }
}
