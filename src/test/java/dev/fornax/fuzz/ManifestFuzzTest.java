package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.sim.DesignManifest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A design's manifest.json (what verify reads before building anything): the design contract
 * (top, rtl, include_dirs, widths, weights mode, DRAM image, memory files), paths confined to the
 * design directory, the file sizes and SHA-256 values verify checks, and the model it names.
 */
class ManifestFuzzTest {
    @FuzzTest(maxDuration = "8s")
    @DictionaryEntries({"\"top\"", "\"rtl\"", "\"include_dirs\"", "\"token_width\"", "\"vocab\"", "\"context\"",
            "\"lanes\"", "\"weights\"", "\"rom\"", "\"dram\"", "\"axi_data_width\"", "\"axi_addr_width\"",
            "\"dram_image\"", "\"mem_files\"", "\"model\"", "\"source\"", "\"tokenizer\"", "\"sha256\"", "\"file_bytes\"",
            "\"rtl/fornax_top.v\"", "\"../../../../etc/hostname\"", "\"/etc/hostname\"", "\"mem/weights.mem\""})
    void manifest(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        Files.createDirectories(dir.resolve("rtl"));
        Files.createDirectories(dir.resolve("mem"));
        FuzzProperty.write(dir.resolve("rtl/fornax_top.v"), "module fornax_top; endmodule\n".getBytes());
        FuzzProperty.write(dir.resolve("mem/weights.mem"), "00\n".getBytes());
        FuzzProperty.write(dir.resolve("manifest.json"), bytes);
        FuzzProperty.check(dir, () -> {
            DesignManifest m = DesignManifest.read(dir);
            m.requireIntact();
            if (m.modelSource() != null) {
                m.requireModelSource();
            }
        });
    }
}
