package dev.fornax.golden;

import dev.fornax.engine.FloatEngine;
import dev.fornax.engine.GenerationResult;
import dev.fornax.engine.Generator;
import dev.fornax.engine.Parallel;
import dev.fornax.ir.ModelWeights;
import dev.fornax.quant.Quantizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Helpers of the int8-vs-float quality tests: reference files, engines, report lines. */
final class QualityFixtures {
    private QualityFixtures() {}

    static final Path STORIES = Path.of("models/stories260K/stories260K.bin");
    /** llama2.c run.c teacher-forced logits of stories260K (provenance: that folder's README). */
    static final Path RUNC = Path.of("src/test/resources/dev/fornax/engine/llama2c-runc");

    static int[] readIds(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    static float[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    static FloatEngine floatEngine(ModelWeights w) {
        return new FloatEngine(w, FloatEngine.WeightMode.CACHED, new Parallel(2));
    }

    static Int8Engine int8Engine(ModelWeights w) {
        return new Int8Engine(Quantizer.quantize(w), 2);
    }

    /** prompt followed by the engine's greedy tokens, {@code total} ids in all. */
    static int[] greedy(dev.fornax.engine.Engine e, int[] prompt, int total) {
        GenerationResult r = Generator.greedy(e, prompt, total - prompt.length, true, t -> {});
        int[] out = Arrays.copyOf(prompt, total);
        System.arraycopy(r.tokens(), 0, out, prompt.length, r.tokens().length);
        return out;
    }

    /**
     * Float engine with the dequantised INT8 weights against the float engine: the part of the
     * int8 error that the weights alone cause.
     */
    static QualityReport weightsOnly(ModelWeights w, dev.fornax.quant.QuantizedModel q, FloatEngine reference,
            java.util.List<int[]> seqs) {
        QualityMeter meter = new QualityMeter();
        try (FloatEngine dq = floatEngine(new DequantizedWeights(w, q))) {
            for (int s = 0; s < seqs.size(); s++) {
                int[] ids = seqs.get(s);
                float[][] a = dev.fornax.engine.TeacherForcing.logits(reference, ids);
                float[][] b = dev.fornax.engine.TeacherForcing.logits(dq, ids);
                for (int p = 0; p < ids.length; p++) {
                    meter.addRow(s, p, a[p], b[p], p + 1 < ids.length ? ids[p + 1] : -1);
                }
            }
        }
        return meter.report();
    }

    static String line(String name, QualityReport r) {
        return String.format(Locale.ROOT,
                "%-22s pos %4d  top-1 %6.2f%% (%d/%d)  lead>=0.5 %d/%d  cos mean %.6f min %.6f  |Δ| mean %.4f max %.4f"
                        + "  KL %.2e  ppl float %.4f int8 %.4f",
                name, r.positions(), 100 * r.top1Agreement(), r.top1Matches(), r.positions(), r.confidentMatches(),
                r.confidentPositions(), r.cosineMean(), r.cosineMin(), r.meanAbsDelta(), r.maxAbsDelta(), r.klMean(),
                r.perplexityFloat(), r.perplexityInt8());
    }
}
