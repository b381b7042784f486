package dev.fornax.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpTraceTest {
    private static OpTrace golden() {
        OpTrace g = new OpTrace();
        OpTrace.Sink s = g.recorder();
        s.on(0, -1, "embed", new int[] {10, -20, 30}, new int[] {-16});
        s.on(0, 0, "attn_norm", new int[] {1, 2, 3}, new int[] {-5});
        s.on(0, 0, "q", new int[] {7, 8, 9}, new int[] {-16});
        return g;
    }

    @Test
    void identicalVectorsInAnyReportingOrderMatch() {
        OpTrace rtl = new OpTrace();
        int used = rtl.parse(List.of("FXT 0 -1 embed 2 30", "FXT 0 -1 embed 0 10", "noise", "FXT 0 -1 embed 1 -20",
                "FXT 0 0 attn_norm 0 1", "FXT 0 0 attn_norm 1 2", "FXT 0 0 attn_norm 2 3", "FXE 0 0 attn_norm 0 -5"));
        assertThat(used).isEqualTo(7);
        OpTrace.Comparison c = OpTrace.compare(golden(), rtl);
        assertThat(c.first()).isNull();
        assertThat(c.compared()).extracting(OpTrace.Key::op).containsExactly("embed", "attn_norm");
        assertThat(c.missing()).extracting(OpTrace.Key::op).containsExactly("q");
    }

    @Test
    void firstDifferenceInExecutionOrderIsNamed() {
        OpTrace rtl = new OpTrace();
        rtl.parse(List.of("FXT 0 0 q 0 7", "FXT 0 0 q 1 8", "FXT 0 0 q 2 9",
                "FXT 0 0 attn_norm 0 1", "FXT 0 0 attn_norm 1 2", "FXT 0 0 attn_norm 2 3", "FXE 0 0 attn_norm 0 -4"));
        OpTrace.Comparison c = OpTrace.compare(golden(), rtl);
        assertThat(c.first().describe()).isEqualTo("position 0, layer 0, op attn_norm, exponent of block 0: rtl -4, golden -5");
    }

    @Test
    void aGapInAReportedVectorIsADifference() {
        OpTrace rtl = new OpTrace();
        rtl.parse(List.of("FXT 0 -1 embed 0 10", "FXT 0 -1 embed 2 30"));
        assertThat(OpTrace.compare(golden(), rtl).first().describe())
                .isEqualTo("position 0, layer -1, op embed, index 1: rtl (not reported), golden -20");
    }
}
