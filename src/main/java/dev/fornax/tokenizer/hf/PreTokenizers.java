package dev.fornax.tokenizer.hf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GGUF {@code tokenizer.ggml.pre} → the byte-level pre-tokenizer, as llama.cpp maps the name
 * (llama-vocab.cpp: the name → {@code LLAMA_VOCAB_PRE_TYPE_*} → a list of regexes, each splitting the
 * pieces further with every match isolated, then the byte-level alphabet). For llama3 and qwen2 the
 * regex is the original of their {@code tokenizer.json} (llama.cpp spells the case-insensitive
 * contractions out), and qwen2 keeps HF's NFC normalizer, so that both encode exactly as HF does.
 */
final class PreTokenizers {
    /** What a name implies besides the regexes: an NFC normalizer, ignore_merges, and whether BOS is added by default. */
    record Spec(Normalizer normalizer, PreTokenizer preTokenizer, boolean ignoreMerges, boolean addBos) {}

    private static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    private static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String BLOOM = " ?[^(\\s|.,!?\u2026\u3002\uff0c\u3001\u0964\u06d4\u060c)]+";

    /** One llama.cpp pre-tokenizer type: its regexes and flags. */
    private record Type(List<String> regexes, boolean nfc, boolean ignoreMerges, boolean addBos) {
        static Type of(String... regexes) {
            return new Type(List.of(regexes), false, false, false);
        }
    }

    private static final Map<String, Type> TYPES = new TreeMap<>();

    static {
        Type llama3 = new Type(List.of(LLAMA3), false, true, true);
        for (String name : List.of("llama3", "llama-v3", "llama-bpe", "falcon3")) {
            TYPES.put(name, llama3);
        }
        Type dbrx = Type.of(LLAMA3);
        TYPES.put("dbrx", dbrx);
        TYPES.put("smaug-bpe", dbrx);
        TYPES.put("chatglm-bpe", dbrx);
        TYPES.put("default", Type.of("[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]"));
        TYPES.put("deepseek-llm", Type.of("[\r\n]",
                "\\s?[A-Za-z\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01ba\u01bc-\u01bf\u01c4-\u0293\u0295-\u02af\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03f5\u03f7-\u0481\u048a-\u052f\u0531-\u0556\u10a0-\u10c5\u13a0-\u13f5\u13f8-\u13fd\u1c90-\u1cba\u1cbd-\u1cbf\u1d00-\u1d2b\u1d6b-\u1d77\u1d79-\u1d9a\u1e00-\u1f15\u1f18-\u1f1d\u1f20-\u1f45\u1f48-\u1f4d\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4\u1fb6-\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fcc\u1fd0-\u1fd3\u1fd6-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ff4\u1ff6-\u1ffc\u2102\u2107\u210a-\u2113\u2115\u2119-\u211d\u2124\u2126\u2128\u212a-\u212d\u212f-\u2134\u2139\u213c-\u213f\u2145-\u2149\u214e\u2183\u2184\u2c00-\u2c7b\u2c7e-\u2ce4\u2ceb-\u2cee\u2cf2\u2cf3\ua640-\ua66d\ua680-\ua69b\ua722-\ua76f\ua771-\ua787\ua78b-\ua78e\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17\uff21-\uff3a\uff41-\uff5a\ud801\udc00-\ud801\udc4f\ud801\udcb0-\ud801\udcd3\ud801\udcd8-\ud801\udcfb\ud803\udc80-\ud803\udcb2\ud803\udcc0-\ud803\udcf2\ud806\udca0-\ud806\udcdf\ud83a\udd00-\ud83a\udd43]+",
                "\\s?[!-/:-~\uff01-\uff0f\uff1a-\uff5e\u2018-\u201f\u3000-\u3002]+", "\\s+$", "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+", "\\p{N}+"));
        TYPES.put("deepseek-v3", Type.of("\\p{N}{1,3}", "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+",
                "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
                        + "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"));
        TYPES.put("deepseek-coder", Type.of("[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+", "\\p{N}"));
        TYPES.put("falcon", Type.of("[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]"));
        Type starcoder = Type.of("\\p{N}", GPT2);
        for (String name : List.of("starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b")) {
            TYPES.put(name, starcoder);
        }
        Type gpt2 = Type.of(GPT2);
        for (String name : List.of("gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es",
                "jina-v2-de", "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais")) {
            TYPES.put(name, gpt2);
        }
        Type qwen2 = new Type(List.of(QWEN2), true, false, false);
        for (String name : List.of("qwen2", "deepseek-r1-qwen", "megrez")) {
            TYPES.put(name, qwen2);
        }
        TYPES.put("stablelm2", Type.of(QWEN2));
        Type bloom = Type.of(BLOOM);
        for (String name : List.of("poro-chat", "bloom", "gpt3-finnish")) {
            TYPES.put(name, bloom);
        }
        TYPES.put("viking", Type.of(BLOOM, "\\p{N}"));
        TYPES.put("tekken", new Type(List.of("[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*"
                + "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
                + "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
                false, true, true));
        TYPES.put("chameleon", new Type(List.of("<sentinel:[0-9]+>", "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z",
                "([\\t\\n]|    |  )", "\\p{N}", "[\\p{P}!-/:-@\\[-`{-~]", GPT2), false, false, true));
    }

    private PreTokenizers() {}

    /** The spec for a {@code tokenizer.ggml.pre} name, or null when llama.cpp does not know it. */
    static Spec of(String name) {
        Type type = TYPES.get(name);
        if (type == null) {
            return null;
        }
        List<PreTokenizer> steps = new ArrayList<>();
        for (String regex : type.regexes()) {
            steps.add(new PreTokenizer.Split(OnigRegex.compile(regex, "tokenizer.ggml.pre '" + name + "'"),
                    SplitBehavior.ISOLATED, false));
        }
        steps.add(new PreTokenizer.ByteLevel(false, false));
        Normalizer nfc = type.nfc() ? new Normalizer.Unicode(java.text.Normalizer.Form.NFC) : null;
        return new Spec(nfc, new PreTokenizer.Sequence(steps), type.ignoreMerges(), type.addBos());
    }

    static String supported() {
        return String.join(", ", TYPES.keySet());
    }
}
