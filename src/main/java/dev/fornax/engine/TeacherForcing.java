package dev.fornax.engine;

import dev.fornax.FornaxException;

/** Teacher-forced logits: row i is the engine's output after consuming tokens 0..i from position 0. */
public final class TeacherForcing {
    private TeacherForcing() {}

    /** Receives each row as soon as it is computed (the array is the engine's, not reused). */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(int index, float[] logits);
    }

    /**
     * Feeds {@code tokens} one by one and hands each logits row to {@code rows}.
     *
     * @throws FornaxException before any computation for an empty sequence, an id outside the
     *     vocabulary, or more tokens than the context length
     */
    public static void forEachRow(Engine engine, int[] tokens, RowConsumer rows) {
        Generator.checkTokens(engine.spec(), tokens, "token sequence");
        if (tokens.length > engine.spec().contextLength()) {
            throw new FornaxException(tokens.length + " tokens exceed the model's context length of "
                    + engine.spec().contextLength() + " positions");
        }
        engine.reset();
        for (int i = 0; i < tokens.length; i++) {
            rows.accept(i, engine.step(tokens[i]));
        }
    }

    /** All rows in memory: [tokens.length][vocab]. */
    public static float[][] logits(Engine engine, int[] tokens) {
        float[][] out = new float[tokens.length][];
        forEachRow(engine, tokens, (i, row) -> out[i] = row);
        return out;
    }
}
