package dev.fornax.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The register map's generated views agree with it and with each other; the layout is sound. */
class RegisterMapTest {

    @Test
    void registersDoNotOverlapAndFitTheWindow() {
        List<int[]> spans = new ArrayList<>();
        for (RegisterMap.Register r : RegisterMap.REGISTERS) {
            assertThat(r.bits()).isIn(32, 64);
            assertThat(r.offset() % (r.bits() / 8)).as(r.name() + " aligned to its size").isZero();
            assertThat(r.offset() + r.span()).as(r.name()).isLessThanOrEqualTo(1 << RegisterMap.ADDR_WIDTH);
            for (int[] s : spans) {
                assertThat(r.offset() >= s[1] || r.offset() + r.span() <= s[0]).as(r.name() + " overlaps").isTrue();
            }
            spans.add(new int[] {r.offset(), r.offset() + r.span()});
        }
        // the Vitis ap_ctrl_hs convention
        assertThat(RegisterMap.get("AP_CTRL").offset()).isZero();
        assertThat(RegisterMap.get("GIE").offset()).isEqualTo(4);
        assertThat(RegisterMap.get("IER").offset()).isEqualTo(8);
        assertThat(RegisterMap.get("ISR").offset()).isEqualTo(12);
        assertThat(RegisterMap.kernelArgs(1, false)).allSatisfy(a -> assertThat(a.offset()).isGreaterThanOrEqualTo(0x10));
    }

    @Test
    void docsTableIsTheGeneratedOne() throws IOException {
        String doc = Files.readString(Path.of("docs/HARDWARE.md"));
        int b = doc.indexOf("<!-- regmap:begin");
        int e = doc.indexOf("<!-- regmap:end -->");
        assertThat(b).isPositive();
        String table = doc.substring(doc.indexOf('\n', b) + 1, e);
        assertThat(table).isEqualTo(RegisterMap.markdown());
    }

    @Test
    void verilogIncludeDefinesEveryOffsetAndField() {
        Map<String, Long> v = new HashMap<>();
        Matcher m = Pattern.compile("`define (FX_\\w+) (\\d+)'(h|d)([0-9A-Fa-f]+)").matcher(RegisterMap.verilogInclude());
        while (m.find()) {
            v.put(m.group(1), Long.parseLong(m.group(4), m.group(3).equals("h") ? 16 : 10));
        }
        Matcher plain = Pattern.compile("`define (FX_\\w+) (\\d+)\\b(?!')").matcher(RegisterMap.verilogInclude());
        while (plain.find()) {
            v.putIfAbsent(plain.group(1), Long.parseLong(plain.group(2)));
        }
        for (RegisterMap.Register r : RegisterMap.REGISTERS) {
            assertThat(v).containsEntry("FX_" + r.name(), (long) r.offset());
            assertThat(v).containsEntry("FX_" + r.name() + "_W", (long) r.offset() / 4);
            for (RegisterMap.Field f : r.fields()) {
                assertThat(v).containsEntry("FX_" + r.name() + "_" + f.name(), (long) f.bit());
            }
        }
        assertThat(v).containsEntry("FX_MAGIC_VALUE", RegisterMap.MAGIC);
    }

    /** Compiles a program against the generated C header and compares what it prints with the map. */
    @Test
    void cHeaderAgreesWithTheMap(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("fornax_regs.h"), RegisterMap.cHeader());
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include \"fornax_regs.h\"\nint main(void) {\n");
        for (RegisterMap.Register r : RegisterMap.REGISTERS) {
            c.append("    printf(\"").append(r.name()).append(" %u\\n\", (unsigned)FORNAX_REG_").append(r.name()).append(");\n");
            if (r.count() > 1) {
                c.append("    printf(\"").append(r.name()).append("@1 %u\\n\", (unsigned)FORNAX_REG_").append(r.name())
                        .append("_AT(1));\n");
            }
            for (RegisterMap.Field f : r.fields()) {
                c.append("    printf(\"").append(r.name()).append('.').append(f.name()).append(" %u\\n\", (unsigned)FORNAX_")
                        .append(r.name()).append('_').append(f.name()).append(");\n");
            }
        }
        c.append("    return 0;\n}\n");
        Files.writeString(dir.resolve("t.c"), c.toString());
        run(dir, "gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o", "t", "t.c");
        String out = run(dir, dir.resolve("t").toString());
        Map<String, Long> got = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] kv = line.split(" ");
            got.put(kv[0], Long.parseLong(kv[1]));
        }
        for (RegisterMap.Register r : RegisterMap.REGISTERS) {
            assertThat(got).containsEntry(r.name(), (long) r.offset());
            if (r.count() > 1) {
                assertThat(got).containsEntry(r.name() + "@1", (long) r.elementOffset(1));
            }
            for (RegisterMap.Field f : r.fields()) {
                assertThat(got).containsEntry(r.name() + "." + f.name(), ((1L << f.width()) - 1) << f.bit());
            }
        }
    }

    static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }
}
