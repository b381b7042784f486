package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fornax.sim.DesignManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compiled design changed after compile (issue 13 item 5 and 10): verify checks every file
 * against the manifest's SHA-256 before loading the model, building or simulating, and names the
 * first file that is missing or differs (a truncated weights.mem is a corrupt design, not a logit
 * MISMATCH); a manifest path that leads out of the design directory is refused.
 */
class TamperedDesignTest {
    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static Path compiled;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void compile() {
        compiled = shared.resolve("design");
        CliRun r = CliRun.of("compile", "models/stories260K/stories260K.bin", "-o", compiled.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private Path copy() throws IOException {
        Path dst = tmp.resolve("d");
        try (Stream<Path> s = Files.walk(compiled)) {
            for (Path p : s.toList()) {
                Files.copy(p, dst.resolve(compiled.relativize(p).toString()));
            }
        }
        return dst;
    }

    private static ObjectNode manifest(Path d) throws IOException {
        return (ObjectNode) JSON.readTree(d.resolve("manifest.json").toFile());
    }

    private static void write(Path d, ObjectNode m) throws IOException {
        JSON.writeValue(d.resolve("manifest.json").toFile(), m);
    }

    private static String verifyFails(Path d) {
        CliRun r = CliRun.of("verify", d.toString(), "--tokens", "1,403", "-n", "1");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("fornax: ").endsWith("\n").doesNotContain("MISMATCH");
        assertThat(r.err().strip()).doesNotContain("\n");
        return r.err();
    }

    @Test
    void truncatedWeightsMemIsACorruptFile() throws Exception {
        Path d = copy();
        Path mem = d.resolve("mem/weights.mem");
        long size = Files.size(mem);
        Files.write(mem, Arrays.copyOf(Files.readAllBytes(mem), 1000));
        assertThat(verifyFails(d)).isEqualTo("fornax: " + mem + " is truncated: 1000 bytes, manifest.json records " + size
                + "; recompile the design with fornax compile\n");
    }

    @Test
    void truncatedFileOfAManifestWithoutSizesIsStillCaught() throws Exception {
        Path d = copy();
        ObjectNode m = manifest(d);
        m.remove("file_bytes"); // as an older fornax wrote it
        write(d, m);
        Path mem = d.resolve("mem/weights.mem");
        Files.write(mem, Arrays.copyOf(Files.readAllBytes(mem), 1000));
        assertThat(verifyFails(d)).startsWith("fornax: " + mem + " is corrupt or was edited: its SHA-256 is ");
    }

    @Test
    void weightsMemWithOneDigitChangedIsACorruptFile() throws Exception {
        Path d = copy();
        Path mem = d.resolve("mem/weights.mem");
        byte[] b = Files.readAllBytes(mem);
        int i = b.length / 2;
        while (!Character.isLetterOrDigit(b[i])) {
            i++;
        }
        b[i] = (byte) (b[i] == '0' ? '1' : '0'); // same size, one hex digit of one weight beat changed
        Files.write(mem, b);
        assertThat(verifyFails(d)).startsWith("fornax: " + mem + " is corrupt or was edited: its SHA-256 is ")
                .contains("manifest.json records ", "recompile");
    }

    @Test
    void grownTestbenchIsNamed() throws Exception {
        Path d = copy();
        Path tb = d.resolve("tb/fornax_tb.v");
        Files.writeString(tb, Files.readString(tb) + "\n");
        assertThat(verifyFails(d)).startsWith("fornax: " + tb + " has grown: ");
    }

    @Test
    void deletedWeightsMemIsAMissingFile() throws Exception {
        Path d = copy();
        Files.delete(d.resolve("mem/weights.mem"));
        assertThat(verifyFails(d)).startsWith("fornax: " + d.resolve("mem/weights.mem") + " is missing");
    }

    @Test
    void editedRtlFileIsNamed() throws Exception {
        Path d = copy();
        Path core = d.resolve("rtl/fornax_core.v");
        String text = Files.readString(core);
        Files.writeString(core, text.replaceFirst("module", "modulE")); // same size, edited
        assertThat(verifyFails(d)).startsWith("fornax: " + core + " is corrupt or was edited");
    }

    @Test
    void editedHashInTheManifestIsCaught() throws Exception {
        Path d = copy();
        ObjectNode m = manifest(d);
        ObjectNode h = (ObjectNode) m.get("sha256");
        String first = h.fieldNames().next();
        h.put(first, "0".repeat(64));
        write(d, m);
        assertThat(verifyFails(d)).startsWith("fornax: " + d.resolve(first) + " is corrupt or was edited")
                .contains("records 0000000000000000");
    }

    @Test
    void manifestWithoutHashesIsRefused() throws Exception {
        Path d = copy();
        ObjectNode m = manifest(d);
        m.remove("sha256");
        write(d, m);
        assertThat(verifyFails(d)).contains("has no sha256 map");
    }

    @Test
    void rtlEntryThatLeadsOutOfTheDesignIsRefused() throws Exception {
        for (String escape : new String[] {"../../../../etc/hostname", "/etc/hostname", "rtl/../../x.v"}) {
            Path d = copy();
            ObjectNode m = manifest(d);
            ((ArrayNode) m.get("rtl")).set(0, escape);
            write(d, m);
            assertThat(verifyFails(d)).contains(d.resolve("manifest.json").toString(), "rtl '" + escape + "'",
                    "is not a file inside the design directory").doesNotContain(Files.readString(Path.of("/etc/hostname")).strip());
            Files.walk(d).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void rtlFileThatIsASymbolicLinkOutOfTheDesignIsRefused() throws Exception {
        Path d = copy();
        Path core = d.resolve("rtl/fornax_core.v");
        Files.delete(core);
        Files.createSymbolicLink(core, Path.of("/etc/hostname"));
        assertThat(verifyFails(d)).contains("rtl 'rtl/fornax_core.v' leads out of the design directory");
    }

    @Test
    void freshlyCompiledDesignsAreIntactInRomAndDramMode() throws Exception {
        assertThatCode(() -> DesignManifest.read(compiled).requireIntact()).doesNotThrowAnyException();
        ObjectNode m = manifest(compiled);
        // every file compile wrote is covered, by size and hash (but the report, which later commands rewrite)
        try (Stream<Path> s = Files.walk(compiled)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String rel = compiled.relativize(f).toString();
                if (!rel.equals("manifest.json") && !rel.equals("report.html") && !rel.startsWith("report/")) {
                    assertThat(m.path("sha256").has(rel)).as(rel).isTrue();
                    assertThat(m.path("file_bytes").path(rel).asLong()).as(rel).isEqualTo(Files.size(f));
                }
            }
        }
        Path dram = tmp.resolve("dram");
        CliRun r = CliRun.of("compile", "models/stories260K/stories260K.bin", "-o", dram.toString(), "--weights", "dram",
                "--context", "16");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThatCode(() -> DesignManifest.read(dram).requireIntact()).doesNotThrowAnyException();
    }

    @Test
    void aMissingTestbenchIsNotCorruption() throws Exception {
        Path d = copy();
        try (Stream<Path> s = Files.walk(d.resolve("tb"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThatCode(() -> DesignManifest.read(d).requireIntact()).doesNotThrowAnyException();
    }
}
