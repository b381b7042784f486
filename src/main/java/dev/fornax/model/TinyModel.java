package dev.fornax.model;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a random model for {@code fornax tiny}: small defaults per family, or a preset with
 * the exact dimensions and token ids of a real checkpoint's config.json.
 *
 * @param headDim only free for gemma and qwen3 (config head_dim); the others use hidden/heads as transformers 4.44 does
 * @param context max_position_embeddings
 */
public record TinyModel(
        Architecture arch,
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int intermediate,
        int vocab,
        int context,
        int bosId,
        int eosId) {

    /**
     * Real configs (config.json of each Hugging Face repo): Qwen/Qwen2-0.5B, Qwen/Qwen3-0.6B,
     * meta-llama/Llama-3.2-1B, microsoft/Phi-3-mini-4k-instruct, google/gemma-2b.
     */
    private static final Map<String, TinyModel> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("qwen2-0.5b", new TinyModel(Architecture.QWEN2, 896, 24, 14, 2, 64, 4864, 151936, 131072, 151643, 151643));
        // Qwen3-0.6B: 16 heads × head_dim 128 = 2048 ≠ hidden 1024; bos 151643, eos 151645 (<|im_end|>).
        PRESETS.put("qwen3-0.6b", new TinyModel(Architecture.QWEN3, 1024, 28, 16, 8, 128, 3072, 151936, 40960, 151643, 151645));
        PRESETS.put("llama-3.2-1b", new TinyModel(Architecture.LLAMA, 2048, 16, 32, 8, 64, 8192, 128256, 131072, 128000, 128001));
        PRESETS.put("phi-3-mini", new TinyModel(Architecture.PHI3, 3072, 32, 32, 32, 96, 8192, 32064, 4096, 1, 32000));
        PRESETS.put("gemma-2b", new TinyModel(Architecture.GEMMA, 2048, 18, 8, 1, 256, 16384, 256000, 8192, 2, 1));
    }

    public static List<String> presetNames() {
        return List.copyOf(PRESETS.keySet());
    }

    /** The preset, or an error listing the names. */
    public static TinyModel preset(String name) {
        TinyModel m = PRESETS.get(name);
        if (m == null) {
            throw new FornaxException("--preset " + name + " is unknown (presets: " + String.join(", ", presetNames()) + ")");
        }
        return m;
    }

    /**
     * Small dimensions per family; gemma's and qwen3's head_dim deliberately differ from hidden/heads,
     * as in Gemma-7B and Qwen3-0.6B (heads·head_dim = 2·hidden).
     */
    public static TinyModel defaults(Architecture arch) {
        return switch (arch) {
            case LLAMA -> new TinyModel(arch, 64, 2, 4, 2, 16, 160, 512, 131072, 1, 2);
            case QWEN2 -> new TinyModel(arch, 64, 2, 4, 2, 16, 160, 512, 131072, 1, 2);
            case QWEN3 -> new TinyModel(arch, 64, 2, 4, 2, 32, 160, 512, 40960, 1, 2);
            case PHI3 -> new TinyModel(arch, 64, 2, 4, 2, 16, 160, 512, 4096, 1, 2);
            case GEMMA -> new TinyModel(arch, 64, 2, 4, 1, 32, 160, 512, 8192, 2, 1);
        };
    }

    /** Replaces the dimensions that are non-null; head_dim follows hidden/heads except for gemma and qwen3. */
    public TinyModel with(Integer hidden, Integer layers, Integer heads, Integer kvHeads, Integer headDim,
            Integer intermediate, Integer vocab, Integer context) {
        int h = hidden != null ? hidden : this.hidden;
        int nh = heads != null ? heads : this.heads;
        int kv = kvHeads != null ? kvHeads : (heads != null ? Math.min(this.kvHeads, nh) : this.kvHeads);
        int hd;
        if (freeHeadDim(arch)) {
            hd = headDim != null ? headDim : this.headDim;
        } else {
            if (headDim != null) {
                throw new FornaxException("--head-dim is only for gemma and qwen3; " + arch.modelType()
                        + " uses hidden/heads");
            }
            hd = nh > 0 && h % nh == 0 ? h / nh : -1;
        }
        int v = vocab != null ? vocab : this.vocab;
        TinyModel m = new TinyModel(arch, h, layers != null ? layers : this.layers, nh, kv, hd,
                intermediate != null ? intermediate : this.intermediate, v, context != null ? context : this.context,
                bosId < v ? bosId : 1, eosId < v ? eosId : Math.min(2, v - 1));
        m.validate();
        return m;
    }

    private static boolean freeHeadDim(Architecture arch) {
        return arch == Architecture.GEMMA || arch == Architecture.QWEN3;
    }

    /** Option-level checks, so that errors name the option rather than a generated config field. */
    public void validate() {
        int[] dims = {hidden, layers, heads, kvHeads, intermediate, vocab, context};
        String[] names = {"--hidden", "--layers", "--heads", "--kv-heads", "--intermediate", "--vocab", "--context"};
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new FornaxException(names[i] + " must be positive, got " + dims[i]);
            }
        }
        if (vocab < 3) {
            throw new FornaxException("--vocab must be at least 3 (bos and eos ids), got " + vocab);
        }
        if (!freeHeadDim(arch) && hidden % heads != 0) {
            throw new FornaxException("--hidden " + hidden + " is not divisible by --heads " + heads);
        }
        if (heads % kvHeads != 0) {
            throw new FornaxException("--heads " + heads + " is not a multiple of --kv-heads " + kvHeads);
        }
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new FornaxException("head dim " + headDim + " must be positive and even (RoPE rotates pairs)");
        }
        long embedding = (long) vocab * hidden;
        if (embedding > Integer.MAX_VALUE) {
            throw new FornaxException("--vocab × --hidden = " + embedding + " elements is too large");
        }
    }
}
