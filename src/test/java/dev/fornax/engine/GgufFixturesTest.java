package dev.fornax.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.fornax.gguf.Dequantizer;
import dev.fornax.gguf.GgufFile;
import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * GGUF files written by llama.cpp's own converter (convert_hf_to_gguf.py, and llama-quantize for
 * the k-quants) from the HF fixtures in ../shared; provenance in src/test/resources/gguf/README.md.
 * Each line of {@code fixtures.tsv} names a file, the shared fixture it was converted from, and the
 * check:
 * <ul>
 *   <li>{@code hf}: the weights are the fixture's exactly (f32, bf16 from bf16, f16 from f16), so every
 *       logit of every reference sequence must be within 1e-4 of HF transformers and greedy16 equal;</li>
 *   <li>{@code same}: the weights are exactly those of another model without reference logits (an HF
 *       directory such as stories260K-hf, or {@code gguf:FILE}, e.g. the F32 copy gguf-py writes of a
 *       quantised file's dequantised tensors): logits on three prompts must be within 1e-4 of those Fornax
 *       computes from it;</li>
 *   <li>{@code dequant}: every tensor, dequantised by Fornax, must hash to the SHA-256 that llama.cpp's
 *       gguf-py (an independent dequantiser) gives ({@code FILE.dequant.sha256}); the float engine on
 *       those weights must then run the reference sequences (max |Δlogit| against HF is printed).</li>
 * </ul>
 * {@code FORNAX_GGUF_DIR} points the test at another directory with its own fixtures.tsv (the full
 * set of converted files, too large to commit).
 */
class GgufFixturesTest {
    @TestFactory
    Stream<DynamicTest> everyGgufFixture() throws IOException, URISyntaxException {
        Path dir = fixtureDir();
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("fixtures.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            Path gguf = dir.resolve(f[0]);
            String reference = f[1];
            String check = f[2];
            tests.add(dynamicTest(f[0] + " (" + check + ")", () -> {
                if (check.equals("hf")) {
                    checkAgainstHf(gguf, Shared.require(reference));
                } else if (check.equals("same")) {
                    checkSameLogits(gguf, reference.startsWith("gguf:") ? dir.resolve(reference.substring(5))
                            : Shared.require(reference));
                } else {
                    checkDequantised(gguf);
                    report(gguf, reference.equals("-") ? null : Shared.require(reference));
                }
            }));
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    static Path fixtureDir() throws URISyntaxException {
        String env = System.getenv("FORNAX_GGUF_DIR");
        if (env != null) {
            return Path.of(env);
        }
        return Path.of(GgufFixturesTest.class.getResource("/gguf/fixtures.tsv").toURI()).getParent();
    }

    private static List<String> sequences(Path ref) throws IOException {
        try (Stream<Path> s = Files.list(ref.resolve("ref"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ids.txt"))
                    .map(n -> n.replace(".ids.txt", "")).sorted().toList();
        }
    }

    private static void checkAgainstHf(Path gguf, Path fixture) throws IOException {
        for (String seq : sequences(fixture)) {
            Path ref = fixture.resolve("ref");
            int[] ids = HfFixturesTest.readIds(ref.resolve(seq + ".ids.txt"));
            int[] greedy = HfFixturesTest.readIds(ref.resolve(seq + ".greedy16.txt"));
            try (LoadedModel model = ModelLoader.load(gguf, null); FloatEngine engine = FloatEngine.open(model.weights())) {
                double worst = maxDelta(engine, ids, HfFixturesTest.readFloats(ref.resolve(seq + ".logits.f32")));
                System.out.printf("%s %s: max |Δlogit| vs HF %.3g%n", gguf.getFileName(), seq, worst);
                assertThat(worst).as("%s %s: max |Δlogit| against HF", gguf, seq)
                        .isLessThanOrEqualTo(HfFixturesTest.TOLERANCE);
                GenerationResult r = Generator.greedy(engine, ids, greedy.length, true, t -> {});
                assertThat(r.tokens()).as("%s %s greedy16", gguf, seq).containsExactly(greedy);
            }
        }
    }

    private static void checkSameLogits(Path gguf, Path hfDir) {
        int[][] prompts = {{1, 303, 307, 261, 378}, {1, 2, 3, 258, 399, 0, 17}, {1, 300, 301, 302, 303, 304, 305, 306}};
        try (LoadedModel g = ModelLoader.load(gguf, null); LoadedModel h = ModelLoader.load(hfDir, null);
                FloatEngine ge = FloatEngine.open(g.weights()); FloatEngine he = FloatEngine.open(h.weights())) {
            for (int[] ids : prompts) {
                float[][] expected = TeacherForcing.logits(he, ids);
                float[] flat = new float[ids.length * he.spec().vocab()];
                for (int t = 0; t < ids.length; t++) {
                    System.arraycopy(expected[t], 0, flat, t * he.spec().vocab(), he.spec().vocab());
                }
                double worst = maxDelta(ge, ids, flat);
                System.out.printf("%s: max |Δlogit| vs %s %.3g%n", gguf.getFileName(), hfDir.getFileName(), worst);
                assertThat(worst).isLessThanOrEqualTo(HfFixturesTest.TOLERANCE);
            }
        }
    }

    static double maxDelta(FloatEngine engine, int[] ids, float[] expected) {
        int vocab = engine.spec().vocab();
        assertThat(expected).hasSize(ids.length * vocab);
        float[][] actual = TeacherForcing.logits(engine, ids);
        double worst = 0;
        for (int t = 0; t < ids.length; t++) {
            for (int i = 0; i < vocab; i++) {
                double d = Math.abs(actual[t][i] - expected[t * vocab + i]);
                worst = d > worst || Double.isNaN(d) ? d : worst;
            }
        }
        return worst;
    }

    /** Every tensor dequantised by Fornax hashes to gguf-py's result. */
    static void checkDequantised(Path gguf) throws IOException, NoSuchAlgorithmException {
        List<String> expected = Files.readAllLines(gguf.resolveSibling(gguf.getFileName() + ".dequant.sha256"));
        List<String> actual = new ArrayList<>();
        try (GgufFile file = GgufFile.read(gguf)) {
            for (GgufFile.TensorInfo t : file.tensors().values()) {
                int n = Math.toIntExact(t.elements());
                float[] values = new float[n];
                int rowLength = (int) (t.dims().length == 0 ? 1 : t.dims()[0]);
                long rowBytes = (long) rowLength / t.type().blockSize() * t.type().typeSize();
                ByteBuffer data = file.map(t, 0, t.byteSize());
                for (int r = 0; r < n / rowLength; r++) {
                    Dequantizer.decode(t.type(), data, (int) (r * rowBytes), rowLength, values, r * rowLength);
                }
                ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(values);
                String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
                actual.add(t.name() + " " + t.type() + " " + digest);
            }
        }
        assertThat(actual).as("%s: tensors dequantised by Fornax vs gguf-py", gguf).containsExactlyElementsOf(expected);
    }

    /**
     * The quantised model runs; its distance from the unquantised HF reference is printed, not asserted
     * (fixture null: a model without HF reference logits, run on ids 1..16).
     */
    private static void report(Path gguf, Path fixture) throws IOException {
        if (fixture == null) {
            try (LoadedModel model = ModelLoader.load(gguf, null); FloatEngine engine = FloatEngine.open(model.weights())) {
                int[] ids = java.util.stream.IntStream.rangeClosed(1, 16).toArray();
                for (float[] row : TeacherForcing.logits(engine, ids)) {
                    for (float v : row) {
                        assertThat(v).as("%s: logits must be finite", gguf).isFinite();
                    }
                }
            }
            System.out.printf("%s: dequantised weights equal gguf-py's%n", gguf.getFileName());
            return;
        }
        double worst = 0;
        for (String seq : sequences(fixture)) {
            Path ref = fixture.resolve("ref");
            int[] ids = HfFixturesTest.readIds(ref.resolve(seq + ".ids.txt"));
            try (LoadedModel model = ModelLoader.load(gguf, null); FloatEngine engine = FloatEngine.open(model.weights())) {
                worst = Math.max(worst, maxDelta(engine, ids, HfFixturesTest.readFloats(ref.resolve(seq + ".logits.f32"))));
            }
        }
        System.out.printf("%s: dequantised weights equal gguf-py's; max |Δlogit| vs the unquantised HF reference %.3g%n",
                gguf.getFileName(), worst);
        assertThat(worst).as("%s: logits must be finite", gguf).isFinite();
    }
}
