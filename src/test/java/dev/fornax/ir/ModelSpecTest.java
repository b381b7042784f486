package dev.fornax.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
    private static ModelSpec spec(int hidden, int heads, int kv, int headDim, boolean bias, boolean tied, int vocab, int bos,
            List<Integer> eos) {
        return new ModelSpec(Architecture.LLAMA, hidden, 2, heads, kv, headDim, 3 * hidden, vocab, 128, 1e-5,
                NormForm.WEIGHT, new Rope(10000, new RopeScaling.None()), Activation.SILU, bias, tied, false, bos, eos);
    }

    /** Counted by hand for D=8, H=2, KV=1, hd=4, I=24, V=10, 2 layers. */
    @Test
    void parameterCountAsHfCountsIt() {
        long perLayer = 8 * 8 + 2 * 8 * 4 + 8 * 8 + 3 * 8 * 24 + 2 * 8; // q, k+v, o, mlp, norms
        long tied = 2 * perLayer + 10 * 8 + 8;
        assertThat(spec(8, 2, 1, 4, false, true, 10, 1, List.of(2)).parameters()).isEqualTo(tied);
        assertThat(spec(8, 2, 1, 4, false, false, 10, 1, List.of(2)).parameters()).isEqualTo(tied + 80);
        assertThat(spec(8, 2, 1, 4, true, true, 10, 1, List.of(2)).parameters()).isEqualTo(tied + 2 * (8 + 4 + 4));
    }

    @Test
    void derivedWidths() {
        ModelSpec s = spec(64, 8, 2, 16, false, true, 10, -1, List.of());
        assertThat(s.groupSize()).isEqualTo(4);
        assertThat(s.qDim()).isEqualTo(128);
        assertThat(s.kvDim()).isEqualTo(32);
    }

    @Test
    void invariantsAreEnforced() {
        assertThatThrownBy(() -> spec(8, 3, 2, 4, false, true, 10, 1, List.of())).hasMessageContaining("not a multiple");
        assertThatThrownBy(() -> spec(8, 2, 1, 3, false, true, 10, 1, List.of())).hasMessageContaining("odd");
        assertThatThrownBy(() -> spec(0, 2, 1, 4, false, true, 10, 1, List.of())).hasMessageContaining("positive");
        assertThatThrownBy(() -> spec(8, 2, 1, 4, false, true, 10, 10, List.of())).hasMessageContaining("bosId");
        assertThatThrownBy(() -> spec(8, 2, 1, 4, false, true, 10, 1, List.of(12))).hasMessageContaining("eos id 12");
    }
}
