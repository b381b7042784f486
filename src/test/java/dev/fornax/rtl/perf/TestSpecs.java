package dev.fornax.rtl.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Activation;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.ir.NormForm;
import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import dev.fornax.model.ModelLoader;
import java.nio.file.Path;
import java.util.List;

/** The two models whose costs the tests count by hand. */
final class TestSpecs {
    private TestSpecs() {}

    /** The bundled stories260K checkpoint (repository root is the tests' working directory). */
    static final Path STORIES = Path.of("models/stories260K/stories260K.bin");

    /** The real stories260K checkpoint's spec; its dimensions are asserted so the hand counts apply. */
    static ModelSpec stories260k() {
        try (ModelWeights w = ModelLoader.loadWeights(STORIES)) {
            ModelSpec s = w.spec();
            assertThat(List.of(s.hidden(), s.intermediate(), s.layers(), s.heads(), s.kvHeads(), s.headDim(), s.vocab(),
                    s.contextLength())).containsExactly(64, 172, 5, 8, 4, 8, 512, 512);
            assertThat(s.tiedEmbeddings()).isTrue();
            return s;
        }
    }

    /** Qwen/Qwen2-0.5B's config.json: hidden 896, 24 layers, 14/2 heads, intermediate 4864, vocab 151,936, tied. */
    static ModelSpec qwen2_0_5b() {
        return new ModelSpec(Architecture.QWEN2, 896, 24, 14, 2, 64, 4864, 151_936, 131_072, 1e-6, NormForm.WEIGHT,
                new Rope(1_000_000, new RopeScaling.None()), Activation.SILU, true, true, false, 151_643,
                List.of(151_643));
    }
}
