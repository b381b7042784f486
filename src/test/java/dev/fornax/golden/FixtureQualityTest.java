package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.engine.FloatEngine;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.ModelLoader;
import dev.fornax.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HF fixtures of all four architectures (../shared/fixtures/hf, random weights): int8 against
 * the float engine on every reference sequence. Random weights give near-uniform logits with small
 * leads, so int8-vs-float gets sanity bounds only; the integer activations are held to tight
 * bounds against the float engine running the same dequantised INT8 weights. The float engine
 * itself is checked against transformers by HfFixturesTest.
 */
class FixtureQualityTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen2/f16", "phi3", "gemma", "gemma/f32"})
    void int8StaysCloseToFloat(String dir) throws Exception {
        Path fixture = Shared.require("fixtures/hf/" + dir);
        List<int[]> seqs = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixture.resolve("ref"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".ids.txt")).sorted().toList()) {
                seqs.add(QualityFixtures.readIds(p));
            }
        }
        assertThat(seqs).isNotEmpty();
        try (ModelWeights w = ModelLoader.loadWeights(fixture); FloatEngine f = QualityFixtures.floatEngine(w);
                Int8Engine q = QualityFixtures.int8Engine(w)) {
            QualityReport r = Int8VsFloat.compare(f, q, seqs);
            System.out.println(QualityFixtures.line(dir, r));
            System.out.println(QualityFixtures.line(dir + " weights only",
                    QualityFixtures.weightsOnly(w, q.model(), f, seqs)));
            QualityReport act;
            try (FloatEngine dq = QualityFixtures.floatEngine(new DequantizedWeights(w, q.model()))) {
                act = Int8VsFloat.compare(dq, q, seqs);
            }
            System.out.println(QualityFixtures.line(dir + " activations only", act));
            StringBuilder layers = new StringBuilder("  hidden cosine min per layer:");
            r.hiddenCosine().forEach(l -> layers.append(String.format(java.util.Locale.ROOT, " %.5f", l.min())));
            System.out.println(layers);
            // int8 vs float: the INT8 weights of a random model (near-uniform logits) cost most.
            assertThat(r.cosineMean()).as(dir + " cosine mean").isGreaterThan(0.998);
            assertThat(r.cosineMin()).as(dir + " cosine min").isGreaterThan(0.99);
            assertThat(r.maxAbsDelta()).as(dir + " max |Δ|").isLessThan(0.3);
            assertThat(r.top1Agreement()).as(dir + " top-1").isGreaterThan(0.9);
            assertThat(r.confidentMatches()).isEqualTo(r.confidentPositions());
            for (QualityReport.LayerCosine l : r.hiddenCosine()) {
                assertThat(l.min()).as(dir + " layer " + l.layer()).isGreaterThan(0.99);
            }
            // The integer activations against float activations on the same INT8 weights: the
            // error of the NUMERICS.md kernels alone, two orders of magnitude below the weights'.
            assertThat(act.cosineMin()).as(dir + " activations-only cosine min").isGreaterThan(0.99999);
            assertThat(act.maxAbsDelta()).as(dir + " activations-only max |Δ|").isLessThan(0.01);
            assertThat(act.meanAbsDelta()).as(dir + " activations-only mean |Δ|").isLessThan(0.001);
            assertThat(act.top1Agreement()).as(dir + " activations-only top-1").isGreaterThanOrEqualTo(0.98);
            for (QualityReport.LayerCosine l : act.hiddenCosine()) {
                assertThat(l.min()).as(dir + " activations-only layer " + l.layer()).isGreaterThan(0.99999);
            }
        }
    }
}
