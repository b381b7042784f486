package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.Quantizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-op model streams exactly the beats the weight layout holds, in the program's op order. */
class ScheduleTest {
    @Test
    void matrixOpsStreamTheLayoutsBeatsInProgramOrder() {
        for (Architecture arch : new Architecture[] {Architecture.LLAMA, Architecture.GEMMA}) { // untied, tied
            ModelSpec s = TinyWeights.spec(arch, 48, 2, 4, 2, 12, 80, 100, 32);
            for (int lanes : new int[] {1, 16, 64}) {
                Layout layout;
                try (TinyWeights w = new TinyWeights(s, 7)) {
                    layout = new Layout(RtlModel.from(Quantizer.quantize(w, 32)), lanes);
                }
                List<Schedule.Op> ops = Schedule.ops(s, lanes, 5);
                long mv = Schedule.matvecLatency(lanes) + Schedule.OP_OVERHEAD;
                for (int l = 0; l < s.layers(); l++) {
                    int layer = l;
                    List<Schedule.Op> ofLayer = ops.stream().filter(o -> o.layer() == layer).toList();
                    assertThat(ofLayer).extracting(Schedule.Op::op).containsExactly("attn_norm", "q", "k", "v", "heads",
                            "attention", "o", "mlp_norm", "gate", "up", "glu", "down");
                    Layout.Slot[] slots = layout.layer(l);
                    String[] names = {"q", "k", "v", "o", "gate", "up", "down"};
                    for (int i = 0; i < names.length; i++) {
                        String name = names[i];
                        long modelled = ofLayer.stream().filter(o -> o.op().equals(name)).findFirst().orElseThrow().cycles();
                        assertThat(modelled).as(arch + " lanes " + lanes + " layer " + l + " " + name)
                                .isEqualTo(slots[i].beats() + mv);
                    }
                }
                assertThat(ops.get(ops.size() - 1)).isEqualTo(new Schedule.Op(-1, "lm_head", layout.lmHead().beats() + mv));
                assertThat(Schedule.predictCycles(s, layout, lanes, 5)).isEqualTo(ops.stream().mapToLong(Schedule.Op::cycles).sum());
            }
        }
    }
}
