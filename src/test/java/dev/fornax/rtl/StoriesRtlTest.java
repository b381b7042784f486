package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.golden.Int8Engine;
import dev.fornax.ir.ModelWeights;
import dev.fornax.quant.QuantizedModel;
import dev.fornax.quant.Quantizer;
import dev.fornax.model.ModelLoader;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stories260K (the bundled real model) in Verilator at lanes 16: the prompt "Once upon a time" and
 * the hardware's own greedy continuation, every logit equal to the IntOps forward pass.
 */
class StoriesRtlTest {
    @TempDir
    Path tmp;

    @Test
    void storiesPromptAndContinuationBitExact() throws Exception {
        Shared.requireTool("verilator");
        int lanes = 16;
        int context = 128;
        QuantizedModel q;
        try (ModelWeights w = ModelLoader.loadWeights(Path.of("models/stories260K/stories260K.bin"))) {
            q = Quantizer.quantize(w, context);
        }
        RtlModel m = RtlModel.from(q);
        Path out = tmp.resolve("design");
        DesignInfo info = DesignGenerator.generate(m, new DesignGenerator.Options("stories260K", lanes, context, "rom"),
                out).info();
        Path exe = VerilatorRunner.build(out, info);
        RefInt8Engine ref = new RefInt8Engine(m, context);
        int[] prompt = {1, 403, 407, 261, 378};
        int n = 5 + 64;
        int[] tokens = new int[n];
        System.arraycopy(prompt, 0, tokens, 0, prompt.length);
        // the reference's greedy continuation is the token sequence we feed
        for (int p = 0; p < n; p++) {
            int[] logits = ref.step(tokens[p], p);
            if (p + 1 >= prompt.length && p + 1 < n) {
                tokens[p + 1] = dev.fornax.golden.IntOps.argmax(logits, logits.length);
            }
        }
        boolean[] first = new boolean[n];
        first[0] = true;
        List<VerilatorRunner.Step> steps = VerilatorRunner.run(out, exe, tokens, first, 0);
        Int8Engine golden = new Int8Engine(q, 1);
        long matMacs = Manifest.matrixMacs(m.spec());
        long attn = 2L * m.spec().heads() * m.spec().headDim() * m.spec().layers();
        double sumRatio = 0;
        int generated = 0;
        for (int p = 0; p < n; p++) {
            int[] want = golden.stepRaw(tokens[p]);
            assertThat(steps.get(p).logits()).as("logits at position %d", p).containsExactly(want);
            if (p + 1 < n && p + 1 >= prompt.length) {
                assertThat(steps.get(p).pred()).isEqualTo(tokens[p + 1]);
            }
            double ideal = (matMacs + attn * (p + 1)) / (double) lanes;
            if (p + 1 >= prompt.length) {
                // cycles per token are averaged over the generated tokens (positions after the prompt)
                sumRatio += steps.get(p).cycles() / ideal;
                generated++;
            }
            System.out.printf("pos %d cycles %d ideal %.0f ratio %.3f%n", p, steps.get(p).cycles(), ideal,
                    steps.get(p).cycles() / ideal);
        }
        double mean = sumRatio / generated;
        System.out.printf("mean ratio over %d generated tokens %.3f%n", generated, mean);
        assertThat(mean).as("cycles per token / ideal (MACs/LANES)").isLessThanOrEqualTo(1.35);
    }
}
