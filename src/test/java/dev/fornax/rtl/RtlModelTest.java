package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.golden.Int8Engine;
import dev.fornax.golden.IntOps;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.QuantizedModel;
import dev.fornax.quant.Quantizer;
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

    /** Llama 3.2 1B's attention shape (32 heads, 8 kv heads) at context 1024: 17-bit score tags. */
    @Test
    void thirtyTwoHeadsAtContext1024() throws Exception {
        ModelSpec s = TinyWeights.spec(Architecture.LLAMA, 64, 1, 32, 8, 2, 64, 64, 1024);
        checkModel(s, 16, 1024, new int[] {5, 60, 3, 33}, 0);
    }

    @Test
    void dramModeGearboxesBothWays() throws Exception {
        ModelSpec s = TinyWeights.spec(Architecture.QWEN2, 48, 2, 6, 2, 8, 80, 96, 32);
        // 4 weight beats per 512-bit AXI beat, with misaligned embedding rows and constants
        checkModel(s, 16, 12, new int[] {3, 95, 7, 7, 50}, 25, tmp, "dram", 512);
        // 2 AXI beats (64 bit) per weight beat
        checkModel(s, 16, 12, new int[] {3, 95, 7}, 0, tmp.resolve("b"), "dram", 64);
    }

    @Test
    void firstRestartsWithoutResetAndAFullCacheRaisesOverflow() throws Exception {
        Shared.requireTool("verilator");
        ModelSpec s = TinyWeights.spec(Architecture.LLAMA, 32, 1, 4, 2, 8, 48, 64, 32);
        int context = 4;
        QuantizedModel q = Quantizer.quantize(new TinyWeights(s, 9), context);
        Path out = tmp.resolve("ovf");
        DesignInfo info = DesignGenerator.generate(RtlModel.from(q),
                new DesignGenerator.Options("tiny", 8, context, "rom"), out).info();
        Path exe = VerilatorRunner.build(out, info);
        // two sequences back to back (the second restarts with first), then one token too many
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        boolean[] first = {true, false, false, false, true, false, false, false, false};
        List<VerilatorRunner.Step> steps = VerilatorRunner.run(out, exe, tokens, first, 20);
        assertThat(steps).hasSize(8);
        Int8Engine golden = new Int8Engine(q, 1);
        for (int p = 0; p < 8; p++) {
            if (first[p]) {
                golden.reset();
            }
            assertThat(steps.get(p).logits()).as("logits of token %d", p).containsExactly(golden.stepRaw(tokens[p]));
        }
        assertThat(java.nio.file.Files.readString(out.resolve("test_out.txt"))).contains("OVERFLOW");
    }

    @Test
    void traceReportsEveryOpVectorAsTheIntegerModel() throws Exception {
        Shared.requireTool("verilator");
        ModelSpec s = TinyWeights.spec(Architecture.QWEN2, 32, 2, 4, 2, 8, 40, 48, 16);
        RtlModel m = RtlModel.from(Quantizer.quantize(new TinyWeights(s, 5), 8));
        Path out = tmp.resolve("trace");
        DesignInfo info = DesignGenerator.generate(m, new DesignGenerator.Options("tiny", 8, 8, "rom"), out).info();
        Path exe = VerilatorRunner.build(out, info, "+define+FORNAX_TRACE");
        int[] tokens = {5, 40, 7};
        VerilatorRunner.run(out, exe, tokens, new boolean[] {true, false, false}, 0);
        java.util.Map<String, java.util.Map<Integer, Integer>> want = new java.util.TreeMap<>();
        RefInt8Engine ref = new RefInt8Engine(m, 8);
        ref.trace = want;
        for (int p = 0; p < tokens.length; p++) {
            ref.step(tokens[p], p);
        }
        java.util.Map<String, java.util.Map<Integer, Integer>> got = new java.util.TreeMap<>();
        for (String line : java.nio.file.Files.readAllLines(out.resolve("test_run.log"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 6 && (f[0].equals("FXT") || f[0].equals("FXE"))) {
                String key = f[1] + " " + f[2] + " " + f[3] + (f[0].equals("FXE") ? " exp" : "");
                got.computeIfAbsent(key, k -> new java.util.TreeMap<>()).put(Integer.parseInt(f[4]),
                        (int) Long.parseLong(f[5]));
            }
        }
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
        for (String k : want.keySet()) {
            assertThat(got.get(k)).as(k).isEqualTo(want.get(k));
        }
    }

    static void checkModel(ModelSpec s, int lanes, int context, int[] tokens, int stall, Path dir) throws Exception {
        checkModel(s, lanes, context, tokens, stall, dir, "rom", 0);
    }

    static void checkModel(ModelSpec s, int lanes, int context, int[] tokens, int stall, Path dir, String weights,
            int axiWidth) throws Exception {
        Shared.requireTool("verilator");
        QuantizedModel q = Quantizer.quantize(new TinyWeights(s, 42), context);
        RtlModel m = RtlModel.from(q);
        Path out = dir.resolve("design");
        DesignInfo info = DesignGenerator.generate(m,
                new DesignGenerator.Options("tiny", lanes, context, weights, axiWidth), out)
                .info();
        Path exe = VerilatorRunner.build(out, info);
        boolean[] first = new boolean[tokens.length];
        first[0] = true;
        List<VerilatorRunner.Step> steps = VerilatorRunner.run(out, exe, tokens, first, stall);
        RefInt8Engine ref = new RefInt8Engine(m, context);
        Int8Engine golden = new Int8Engine(q, 1);
        assertThat(steps).hasSize(tokens.length);
        for (int p = 0; p < tokens.length; p++) {
            int[] want = golden.stepRaw(tokens[p]);
            assertThat(ref.step(tokens[p], p)).as("IntOps composition at position %d", p).containsExactly(want);
            assertThat(steps.get(p).logits()).as("logits at position %d", p).containsExactly(want);
            assertThat(steps.get(p).pred()).isEqualTo(IntOps.argmax(want, want.length));
            System.out.printf("pos %d cycles %d%n", p, steps.get(p).cycles());
        }
    }

    private void checkModel(ModelSpec s, int lanes, int context, int[] tokens, int stall) throws Exception {
        checkModel(s, lanes, context, tokens, stall, tmp);
    }
}
