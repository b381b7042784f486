package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.golden.LookupTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ISA and the table depths have one definition ({@link Isa}, {@link LookupTable}): the docs
 * say what it says, the fields tile the word without overlap, an encoded instruction decodes back
 * through the field positions the RTL gets from fornax_isa.vh, and the fixed RTL holds no literal
 * slice of the instruction word or table depth of its own.
 */
class IsaTest {
    @Test
    void hardwareDocShowsTheInstructionTableOfTheJavaDefinition() throws IOException {
        String doc = Files.readString(Path.of("docs/HARDWARE.md"));
        assertThat(doc).contains(Isa.markdownTable());
        for (LookupTable t : List.of(LookupTable.EPS, LookupTable.RSQRT, LookupTable.EXP2, LookupTable.RECIP,
                LookupTable.GATE)) {
            assertThat(doc).as("tables row of the memory table").contains(t + " " + t.entries() + " × " + t.bits());
        }
    }

    @Test
    void fieldsTileTheWordWithoutOverlap() {
        long[] used = new long[Isa.WIDTH];
        for (Isa.Field f : Isa.Field.values()) {
            assertThat(f.msb()).as(f.toString()).isLessThan(Isa.WIDTH);
            for (int b = f.lsb; b <= f.msb(); b++) {
                assertThat(used[b]).as("bit %d of %s", b, f).isZero();
                used[b] = 1;
            }
        }
        for (Isa.Op o : Isa.Op.values()) {
            assertThat(o.code).isLessThan(1 << Isa.Field.OP.width);
        }
        for (Isa.Mode m : Isa.Mode.values()) {
            assertThat(m.code).isLessThan(1 << Isa.Field.MODE.width);
        }
    }

    @Test
    void anInstructionDecodesThroughTheHeaderFieldPositions() {
        Program.Ins ins = new Program.Ins(Isa.Op.MATVEC.code, Isa.Mode.LOGIT.code, 17, 40_000, -5, 0xDEADBEEFL,
                0x12345678L, 151_936, 0xFFFF, 0xFFFF_FFFFL);
        java.math.BigInteger w = new java.math.BigInteger(ins.hex(), 16);
        String vh = IsaHeader.text();
        assertThat(field(w, vh, "OP")).isEqualTo(Isa.Op.MATVEC.code);
        assertThat(field(w, vh, "MODE")).isEqualTo(Isa.Mode.LOGIT.code);
        assertThat(field(w, vh, "LAYER")).isEqualTo(17);
        assertThat(field(w, vh, "AUX")).isEqualTo(40_000);
        assertThat(field(w, vh, "GK")).isEqualTo(-5 & 0xFFF);
        assertThat(field(w, vh, "WBASE")).isEqualTo(0xDEADBEEFL);
        assertThat(field(w, vh, "CBASE")).isEqualTo(0x12345678L);
        assertThat(field(w, vh, "ROWS")).isEqualTo(151_936);
        assertThat(field(w, vh, "BPR")).isEqualTo(0xFFFF);
        assertThat(field(w, vh, "BEATS")).isEqualTo(0xFFFF_FFFFL);
        assertThat(ins.hex()).hasSize(Isa.WIDTH / 4);
    }

    @Test
    void aValueBeyondItsFieldIsRefused() {
        assertThatThrownBy(() -> new Program.Ins(Isa.Op.MATVEC.code, 0, 256, 0, 0, 0, 0, 0, 0, 0).hex())
                .isInstanceOf(FornaxException.class).hasMessageContaining("LAYER");
        assertThatThrownBy(() -> new Program.Ins(Isa.Op.RMSNORM.code, 0, 0, 0, 2048, 0, 0, 0, 0, 0).hex())
                .isInstanceOf(FornaxException.class).hasMessageContaining("GK");
    }

    @Test
    void fixedRtlHasNoLiteralInstructionSlicesOrTableDepths() throws IOException {
        Pattern slice = Pattern.compile("ins_[a-z]+\\[\\s*\\d");
        Pattern depth = Pattern.compile("DEPTH\\((18|193|257|1025)\\)");
        for (String f : DesignGenerator.LIBRARY) {
            String text = resource(f);
            assertThat(slice.matcher(text).find()).as("literal instruction slice in %s", f).isFalse();
            assertThat(depth.matcher(text).find()).as("literal table depth in %s", f).isFalse();
        }
    }

    /** The field's value, sliced at the [msb:lsb] the header gives it (not at Isa's numbers). */
    private static long field(java.math.BigInteger w, String vh, String name) {
        Matcher m = Pattern.compile("`define FORNAX_INS_" + name + " (\\d+):(\\d+)\n").matcher(vh);
        assertThat(m.find()).as(name).isTrue();
        int msb = Integer.parseInt(m.group(1));
        int lsb = Integer.parseInt(m.group(2));
        return w.shiftRight(lsb).and(java.math.BigInteger.ONE.shiftLeft(msb - lsb + 1).subtract(java.math.BigInteger.ONE))
                .longValueExact();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = IsaTest.class.getResourceAsStream("/rtl/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
