package dev.fornax.rtl.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.cli.Main;
import dev.fornax.ir.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analytic byte counts against what {@code fornax compile --weights dram} really writes (the
 * RTL generator lays out the image independently), and the performance object in its manifest.
 */
class CompiledDesignTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {16, 64})
    void dramImageOfStories260k(int lanes) throws IOException {
        ModelSpec spec = TestSpecs.stories260k();
        Path out = tmp.resolve("design");
        String printed = compile(dev.fornax.testing.Shared.require("models/stories260K/stories260K.bin"), out, lanes);
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        JsonNode dram = manifest.path("memory_map").path("dram");
        long imageBytes = Files.size(out.resolve(dram.path("file").asText()));
        PerformanceModel m = PerformanceModel.predicted(spec, lanes, "dram", manifest.path("context").asInt(), 0,
                manifest.path("axi_data_width").asInt(), 1);
        // The image holds the padded rows and every constant word; the generator aligns the constants
        // region to 4 KB (an AXI burst never crosses a 4 KB boundary), which the model does not count.
        // Constant words: one per row of every matrix (3512 for stories260K) and of the embedding (512).
        long constBytes = 8L * (3512 + 512);
        long consts = dram.path("consts_offset").asLong();
        assertThat(imageBytes - consts).isEqualTo(constBytes);
        long weightsEnd = m.dramResidentBytes() - constBytes; // padded rows, the model's count
        assertThat(consts).isBetween(weightsEnd, weightsEnd + 4095);
        assertThat(consts % 4096).isZero();

        JsonNode perf = manifest.path("performance");
        assertThat(perf.path("macs_per_token").asLong()).isEqualTo(Macs.perToken(spec, 0));
        assertThat(perf.path("dram_resident_bytes").asLong()).isEqualTo(m.dramResidentBytes());
        assertThat(perf.path("boards")).hasSize(Board.ASSUMED.size());
        double predicted = perf.path("predicted_cycles_at_pos0").asDouble();
        assertThat(perf.path("cycles_per_token").asDouble()).isEqualTo(predicted);
        assertThat(perf.path("boards").get(1).path("compute_bound_tokens_per_s").asDouble())
                .isCloseTo(Board.KV260.clockHz() / predicted, within(1e-6));
        assertThat(printed).contains("tok/s (predicted)", "Alveo U280", "assumed:");
    }

    private static String compile(Path model, Path out, int lanes) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = Main.run("compile", model.toString(), "-o", out.toString(), "--weights", "dram", "--lanes",
                    String.valueOf(lanes));
            assertThat(code).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
