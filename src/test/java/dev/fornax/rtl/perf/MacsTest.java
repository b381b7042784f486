package dev.fornax.rtl.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.LayerWeights;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.ModelLoader;
import dev.fornax.testing.Shared;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MacsTest {
    /**
     * stories260K (llama2.c header: dim 64, hidden_dim 172, 5 layers, 8 heads, 4 kv heads, vocab 512,
     * shared classifier), counted by hand: per layer q 64·64 + k, v 2·32·64 + o 64·64 + gate, up,
     * down 3·172·64 = 4096 + 4096 + 4096 + 33,024 = 45,312; × 5 = 226,560; lm_head 512·64 = 32,768.
     */
    @Test
    void stories260kByHand() {
        ModelSpec s = TestSpecs.stories260k();
        assertThat(Macs.matrices(s)).isEqualTo(259_328L);
        assertThat(Macs.attentionPerPosition(s)).isEqualTo(640L); // 2·8 heads·8 hd·5 layers
        assertThat(Macs.perToken(s, 0)).isEqualTo(259_968L);
        assertThat(Macs.perToken(s, 63)).isEqualTo(300_288L); // 259,328 + 640·64
        assertThat(Macs.idealCycles(s, 0, 16)).isEqualTo(16_248.0);
        assertThat(Macs.idealCycles(s, 0, 64)).isEqualTo(4_062.0);
    }

    /**
     * Qwen2-0.5B (hidden 896, 24 layers, 14/2 heads, head_dim 64, intermediate 4864, vocab 151,936):
     * per layer 896·896 + 2·128·896 + 896·896 + 3·4864·896 = 802,816 + 229,376 + 802,816 +
     * 13,074,432 = 14,909,440; × 24 = 357,826,560; lm_head 151,936·896 = 136,134,656.
     */
    @Test
    void qwen2_0_5bByHand() {
        ModelSpec s = TestSpecs.qwen2_0_5b();
        assertThat(Macs.matrices(s)).isEqualTo(493_961_216L);
        assertThat(Macs.attentionPerPosition(s)).isEqualTo(43_008L); // 2·14·64·24
        assertThat(Macs.perToken(s, 4)).isEqualTo(493_961_216L + 5 * 43_008L); // 494,176,256
        assertThat(Macs.idealCycles(s, 0, 64)).isEqualTo(7_718_816.0); // 494,004,224 / 64
    }

    /** The formula against the shapes of the real tensors: Σ rows·cols over every matrix a token uses. */
    @ParameterizedTest
    @ValueSource(strings = {"fixtures/hf/llama", "fixtures/hf/qwen2", "fixtures/hf/phi3", "fixtures/hf/gemma", "stories260K"})
    void matricesEqualTheTensorShapes(String model) {
        Path path = model.equals("stories260K") ? TestSpecs.STORIES : Shared.require(model);
        try (ModelWeights w = ModelLoader.loadWeights(path)) {
            long sum = 0;
            for (Matrix m : matricesOf(w)) {
                sum += (long) m.rows() * m.cols();
            }
            assertThat(Macs.matrices(w.spec())).isEqualTo(sum);
        }
    }

    static List<Matrix> matricesOf(ModelWeights w) {
        List<Matrix> all = new ArrayList<>();
        for (int l = 0; l < w.spec().layers(); l++) {
            LayerWeights x = w.layer(l);
            all.addAll(List.of(x.wq(), x.wk(), x.wv(), x.wo(), x.wGate(), x.wUp(), x.wDown()));
        }
        all.add(w.lmHead());
        return all;
    }

    @Test
    void attentionGrowsByOnePositionPerToken() {
        ModelSpec s = TestSpecs.qwen2_0_5b();
        for (int pos = 0; pos < 5; pos++) {
            assertThat(Macs.perToken(s, pos + 1) - Macs.perToken(s, pos)).isEqualTo(Macs.attentionPerPosition(s));
        }
    }
}
