package dev.fornax.tokenizer.hf;

import dev.fornax.testing.Shared;
import dev.fornax.tokenizer.Tokenizer;
import dev.fornax.tokenizer.Tokenizers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The ../shared/tokenizers fixtures, each loaded once per test JVM (Gemma 3's takes seconds). */
final class FixtureTokenizers {
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private FixtureTokenizers() {}

    /** qwen3, llama3, mistral or gemma3; skips (fails under CI) when ../shared is absent. */
    static Tokenizer get(String name) {
        var file = Shared.require("tokenizers/" + name + "/tokenizer.json");
        return LOADED.computeIfAbsent(name, n -> Tokenizers.open(file));
    }
}
