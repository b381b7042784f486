package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Architecture;
import dev.fornax.ir.ModelSpec;
import dev.fornax.quant.Quantizer;
import dev.fornax.quant.WeightFormat;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The INT4 weight stream read back by a decoder written from docs/HARDWARE.md ("INT4 weight stream")
 * alone: every MAC beat's int8 lanes equal the golden model's effective weights q·u, padding is 0,
 * and the layout's beat counts are the bytes actually written.
 */
class W4StreamTest {

    @ParameterizedTest(name = "lanes {0}, G {1}")
    @CsvSource({"16, 32", "16, 256", "64, 32", "32, 64", "2, 32"})
    void decodedBeatsAreTheEffectiveWeights(int lanes, int g) throws Exception {
        // hidden 72, intermediate 100: partial groups and padded beats at every lane count
        ModelSpec s = TinyWeights.spec(Architecture.LLAMA, 72, 2, 4, 2, 12, 100, 300, 16);
        RtlModel model = RtlModel.from(Quantizer.quantize(new TinyWeights(s, 5), 16, new WeightFormat(4, g)));
        Layout layout = new Layout(model, lanes);
        for (Layout.Slot slot : layout.slots()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Layout.writeSlot(slot, lanes, (b, off, len) -> out.write(b, off, len));
            byte[] mem = out.toByteArray();
            assertThat((long) mem.length).isEqualTo(slot.beats() * lanes);
            QMatrix m = slot.matrix();
            int bpr = slot.bpr();
            assertThat(bpr).isEqualTo((m.cols() + lanes - 1) / lanes);
            int ngp = (bpr * lanes + g - 1) / g;
            int k = slot.blocked() ? 1 << slot.log2Block() : 1;
            if (slot.blocked()) { // the largest power of two whose groups fit a beat
                assertThat((long) k * ngp <= lanes || k == 1).isTrue();
                assertThat(2L * k * ngp > lanes).isTrue();
            }
            int sb = (k * ngp + lanes - 1) / lanes;
            int wb = (bpr + 1) / 2;
            int at = 0; // byte address of the block
            for (int r0 = 0; r0 < m.rows(); r0 += k) {
                int n = Math.min(k, m.rows() - r0);
                for (int rb = 0; rb < n; rb++) {
                    int r = r0 + rb;
                    int rowAt = slot.blocked() ? at + (sb + rb * wb) * lanes : (int) ((long) r * slot.stride() * lanes + sb * lanes);
                    int scaleAt = slot.blocked() ? at : (int) ((long) r * slot.stride() * lanes);
                    for (int j = 0; j < bpr; j++) {
                        for (int i = 0; i < lanes; i++) {
                            int c = j * lanes + i;
                            int b = mem[rowAt + (j / 2) * lanes + i] & 0xFF;
                            int nib = (j % 2 == 0) ? b & 0xF : b >> 4;
                            int q = nib >= 8 ? nib - 16 : nib;
                            int u = mem[scaleAt + (slot.blocked() ? rb * ngp : 0) + c / g] & 0xFF;
                            int expect = c < m.cols() ? m.q()[r * m.cols() + c] : 0;
                            assertThat(q * u).as("%s row %d col %d", m.name(), r, c).isEqualTo(expect);
                            if (c >= m.cols()) {
                                assertThat(q).isZero();
                            }
                        }
                    }
                }
                at += (sb + n * wb) * lanes;
            }
            if (slot.blocked()) {
                assertThat(at).isEqualTo(mem.length);
            }
        }
        // the program's BEATS field: {log2 rows per block, bpr} for the blocked matrices
        List<Program.Ins> prog = Program.build(model, layout);
        for (Program.Ins ins : prog) {
            if (ins.op() == Program.OP_MATVEC) {
                assertThat(ins.beats() & 0xFFFF).isEqualTo(ins.bpr());
            }
        }
    }
}
