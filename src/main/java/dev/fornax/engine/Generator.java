package dev.fornax.engine;

import dev.fornax.FornaxException;
import dev.fornax.ir.ModelSpec;
import java.util.Arrays;
import java.util.function.IntConsumer;

/** Greedy decoding on top of any {@link Engine} (float, int8 golden, RTL in simulation). */
public final class Generator {
    private Generator() {}

    /**
     * Consumes {@code prompt} from position 0, then appends the argmax token up to
     * {@code maxNewTokens} times. Stops after an end-of-sequence id ({@link ModelSpec#eosIds()})
     * unless {@code ignoreEos}. Each new token is passed to {@code onToken} as soon as it is chosen.
     *
     * @throws FornaxException before any computation when the prompt is empty, holds an id outside
     *     the vocabulary, or prompt + maxNewTokens exceeds the context length
     */
    public static GenerationResult greedy(
            Engine engine, int[] prompt, int maxNewTokens, boolean ignoreEos, IntConsumer onToken) {
        ModelSpec spec = engine.spec();
        if (maxNewTokens < 0) {
            throw new FornaxException("the number of new tokens must be >= 0, got " + maxNewTokens);
        }
        checkTokens(spec, prompt, "prompt");
        long total = (long) prompt.length + maxNewTokens;
        if (total > spec.contextLength()) {
            throw new FornaxException("prompt (" + prompt.length + " tokens) + " + maxNewTokens
                    + " new tokens = " + total + " exceeds the model's context length of "
                    + spec.contextLength() + " positions");
        }
        engine.reset();
        float[] logits = null;
        for (int t : prompt) {
            logits = engine.step(t);
        }
        int[] out = new int[maxNewTokens];
        for (int i = 0; i < maxNewTokens; i++) {
            int next = argmax(logits, engine.position() - 1);
            out[i] = next;
            onToken.accept(next);
            if (!ignoreEos && spec.eosIds().contains(next)) {
                return new GenerationResult(prompt, Arrays.copyOf(out, i + 1), StopReason.EOS);
            }
            if (i + 1 < maxNewTokens) {
                logits = engine.step(next);
            }
        }
        return new GenerationResult(prompt, out, StopReason.LENGTH);
    }

    /**
     * The index of the largest logit; the lowest index wins a tie (as torch.argmax does).
     *
     * @param position for the error message when a logit is NaN
     */
    public static int argmax(float[] logits, int position) {
        int best = -1;
        float bestValue = 0f;
        for (int i = 0; i < logits.length; i++) {
            float v = logits[i];
            if (Float.isNaN(v)) {
                throw new FornaxException("logit " + i + " at position " + position
                        + " is NaN; the model's weights or activations are not finite");
            }
            if (best < 0 || v > bestValue) { // strictly greater: the first maximum stays
                best = i;
                bestValue = v;
            }
        }
        return best;
    }

    /** Every id must be in [0, vocab) and the sequence non-empty; {@code what} names it in the message. */
    public static void checkTokens(ModelSpec spec, int[] tokens, String what) {
        if (tokens.length == 0) {
            throw new FornaxException("the " + what + " has no tokens");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= spec.vocab()) {
                throw new FornaxException("token " + tokens[i] + " (position " + i + " of the " + what
                        + ") is outside the vocabulary [0, " + spec.vocab() + ")");
            }
        }
    }
}
