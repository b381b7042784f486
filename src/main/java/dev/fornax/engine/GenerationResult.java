package dev.fornax.engine;

/**
 * The outcome of a generation: the prompt as consumed, the new tokens (including the
 * end-of-sequence id when that is what stopped it, as HF's generate() returns it), and why it stopped.
 */
public record GenerationResult(int[] promptTokens, int[] tokens, StopReason stopReason) {
    public GenerationResult {
        promptTokens = promptTokens.clone();
        tokens = tokens.clone();
    }

    @Override
    public int[] promptTokens() {
        return promptTokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
