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
    private static final String BLOOM = " ?[^(\\s|.,!?…。，、।۔،)]+";

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
                "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
                "\\s?[!-/:-~！-／：-～‘-‟　-。]+", "\\s+$", "[一-龥ࠀ-一가-퟿]+", "\\p{N}+"));
        TYPES.put("deepseek-v3", Type.of("\\p{N}{1,3}", "[一-龥぀-ゟ゠-ヿ]+",
                "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
                        + "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"));
        TYPES.put("deepseek-coder", Type.of("[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[一-龥ࠀ-一가-퟿]+", "\\p{N}"));
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
