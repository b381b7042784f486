package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.golden.Int8Engine;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.quant.Quantizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --engine int8} through generate and logits (with --int32). */
class Int8EngineCliTest {
    static final String BIN = "models/stories260K/stories260K.bin";

    @TempDir
    Path tmp;

    @Test
    void generateWithTheGoldenModelDivergesFromFloatOnlyAtTheNearTie() {
        CliRun r = CliRun.of("generate", BIN, "--prompt", "Once upon a time", "-n", "60", "--engine", "int8");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        // Identical to run.c's greedy text up to "too high." (56 new tokens); then the 0.071-logit
        // near-tie goes to " She" instead of "\n".
        assertThat(r.out()).isEqualTo("Once upon a time, there was a little girl named Lily. She loved to play outside"
                + " in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high."
                + " She as\n");
    }

    @Test
    void logitsInt32AreTheRawQ16IntegersAndFloat32TheirValue() throws Exception {
        Path raw = tmp.resolve("l.i32");
        Path val = tmp.resolve("l.f32");
        String ids = "1,403,407,261,378";
        assertThat(CliRun.of("logits", BIN, "--tokens", ids, "--engine", "int8", "--int32", "--out", raw.toString())
                .exit()).isZero();
        assertThat(CliRun.of("logits", BIN, "--tokens", ids, "--engine", "int8", "--out", val.toString()).exit())
                .isZero();
        ByteBuffer r = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer f = ByteBuffer.wrap(Files.readAllBytes(val)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(r.capacity()).isEqualTo(5 * 512 * 4);
        try (LoadedModel m = ModelLoader.load(Path.of(BIN), null);
                Int8Engine e = new Int8Engine(Quantizer.quantize(m.weights()), 1)) {
            for (String t : ids.split(",")) {
                int[] expected = e.stepRaw(Integer.parseInt(t));
                for (int v : expected) {
                    int got = r.getInt();
                    assertThat(got).isEqualTo(v);
                    assertThat(f.getFloat()).isEqualTo(got / 65536f);
                }
            }
        }
    }

    @Test
    void int32NeedsAnIntegerEngine() {
        CliRun r = CliRun.of("logits", BIN, "--tokens", "1", "--int32", "--out", tmp.resolve("x").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("fornax: --int32 needs an engine with integer logits (--engine int8), not 'float'\n");
    }
}
