package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.golden.Int8Engine;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.QuantizedModel;
import dev.fornax.quant.Quantizer;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Qwen2-0.5B's layer shape (hidden 896, 14/2 heads of 64, MLP 4864, biases) with two layers and a
 * cut vocabulary, weights in DRAM at lanes 64: bit-exact with the golden model, and the cycle count
 * within 1.10× of MACs/LANES with a 512-bit AXI port that delivers the weights as fast as they are
 * used, at 200 cycles of read latency (the read FIFOs are sized for the default --mem-latency 256).
 */
class QwenShapeDramTest {
    /** The memory model's read latency, AR accepted to first data beat: DDR4/HBM at 250-300 MHz. */
    private static final int LATENCY = 200;

    @TempDir
    Path tmp;

    @Test
    void qwenShapedLayersFromDramAtLanes64() throws Exception {
        Shared.requireTool("verilator");
        ModelSpec s = TinyWeights.spec(Architecture.QWEN2, 896, 2, 14, 2, 64, 4864, 8192, 64);
        int context = 8;
        int lanes = 64;
        QuantizedModel q = Quantizer.quantize(new TinyWeights(s, 3), context);
        RtlModel m = RtlModel.from(q);
        Path out = tmp.resolve("qwen");
        DesignInfo info = DesignGenerator.generate(m, new DesignGenerator.Options("qwen-shape", lanes, context, "dram"),
                out).info();
        Path exe = VerilatorRunner.build(out, info);
        int[] tokens = {17, 4000, 8191};
        List<VerilatorRunner.Step> steps = VerilatorRunner.run(out, exe, tokens, new boolean[] {true, false, false},
                0, LATENCY);
        Int8Engine golden = new Int8Engine(q, 1);
        long macs = Manifest.matrixMacs(s);
        long attn = 2L * s.heads() * s.headDim() * s.layers();
        for (int p = 0; p < tokens.length; p++) {
            assertThat(steps.get(p).logits()).as("logits at %d", p).containsExactly(golden.stepRaw(tokens[p]));
            double ideal = (macs + attn * (p + 1)) / (double) lanes;
            double ratio = steps.get(p).cycles() / ideal;
            System.out.printf("pos %d cycles %d ideal %.0f ratio %.4f%n", p, steps.get(p).cycles(), ideal, ratio);
            assertThat(ratio).as("cycles / ideal at position %d", p).isLessThanOrEqualTo(1.10);
        }
    }
}
