package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-model RTL runs in Verilator against the IntOps forward pass, every logit at every position. */
class RtlModelTest {
    @TempDir
    Path tmp;

    @Test
    void tinyLlamaMatchesIntegerModel() throws Exception {
        ModelSpec s = TinyWeights.spec(Architecture.LLAMA, 32, 2, 4, 2, 8, 48, 64, 32);
        checkModel(s, 8, 16, new int[] {1, 17, 5, 40, 63, 0}, 0);
    }

    @Test
    void tinyQwen2WithBiasesAndWideGroupsUnderStalls() throws Exception {
        ModelSpec s = TinyWeights.spec(Architecture.QWEN2, 48, 2, 6, 2, 8, 80, 96, 32);
        checkModel(s, 16, 12, new int[] {3, 95, 7, 7, 50, 11, 2, 0}, 30);
    }

    @Test
    void tinyGemmaWithOwnHeadDim() throws Exception {
        ModelSpec s = TinyWeights.spec(Architecture.GEMMA, 32, 2, 2, 1, 16, 64, 80, 32);
        checkModel(s, 4, 8, new int[] {2, 9, 79, 33, 4}, 0);
    }

    @Test
    void tinyPhi3UntiedAtLanesThatDoNotDivideHidden() throws Exception {
        ModelSpec s = TinyWeights.spec(Architecture.PHI3, 96, 1, 4, 4, 24, 112, 70, 32);
        checkModel(s, 64, 8, new int[] {1, 2, 69, 30, 31}, 0);
    }

    static void checkModel(ModelSpec s, int lanes, int context, int[] tokens, int stall, Path dir) throws Exception {
        Shared.requireTool("verilator");
        RtlModel m = StandInQuantizer.quantize(new TinyWeights(s, 42));
        Path out = dir.resolve("design");
        DesignInfo info = DesignGenerator.generate(m, new DesignGenerator.Options("tiny", lanes, context, "rom"), out)
                .info();
        Path exe = VerilatorRunner.build(out, info);
        boolean[] first = new boolean[tokens.length];
        first[0] = true;
        List<VerilatorRunner.Step> steps = VerilatorRunner.run(out, exe, tokens, first, stall);
        RefInt8Engine ref = new RefInt8Engine(m, context);
        assertThat(steps).hasSize(tokens.length);
        for (int p = 0; p < tokens.length; p++) {
            int[] want = ref.step(tokens[p], p);
            assertThat(steps.get(p).logits()).as("logits at position %d", p).containsExactly(want);
            System.out.printf("pos %d cycles %d%n", p, steps.get(p).cycles());
        }
    }

    private void checkModel(ModelSpec s, int lanes, int context, int[] tokens, int stall) throws Exception {
        checkModel(s, lanes, context, tokens, stall, tmp);
    }
}
