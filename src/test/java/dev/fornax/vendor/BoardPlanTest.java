package dev.fornax.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.cli.Main;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.ModelLoader;
import dev.fornax.rtl.perf.Board;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compile --board's weight placement counts the KV cache: stories260K's weights (2.4 Mbit) fit the
 * Arty A7-100T's 4.98 Mbit of block RAM, but with the KV cache of 512 positions (2.9 Mbit) they do
 * not, so the default there is DRAM, and the compiled design then fits; at 64 positions ROM fits.
 * The KV estimate is the manifest's own count (checked against a compiled design's
 * on_chip_memory_bits).
 */
class BoardPlanTest {
    private static final Path STORIES = Path.of("models/stories260K/stories260K.bin");

    @TempDir
    Path tmp;

    private static ModelSpec stories() throws Exception {
        try (ModelWeights w = ModelLoader.loadWeights(STORIES)) {
            return w.spec();
        }
    }

    @Test
    void placementCountsTheKvCache() throws Exception {
        ModelSpec s = stories();
        Board arty = Board.byId("arty-a7-100t");
        assertThat(BoardPlan.of(arty, s, 512, null, null, null, null).weights()).isEqualTo("dram");
        assertThat(BoardPlan.of(arty, s, 512, null, null, null, null).reasons().get(0)).contains("KV cache", "context 512");
        assertThat(BoardPlan.of(arty, s, 64, null, null, null, null).weights()).isEqualTo("rom");
        // the KV260's 24 Mbit hold both; the iCEBreaker reaches no DRAM; a given --weights stands
        assertThat(BoardPlan.of(Board.byId("kv260"), s, 512, null, null, null, null).weights()).isEqualTo("rom");
        assertThat(BoardPlan.of(Board.byId("icebreaker"), s, 512, null, null, null, null).weights()).isEqualTo("rom");
        assertThat(BoardPlan.of(arty, s, 512, null, "rom", null, null).weights()).isEqualTo("rom");
    }

    @Test
    void theDefaultArtyDesignFitsAndTheKvEstimateIsTheManifests() throws Exception {
        Path d = tmp.resolve("arty");
        assertThat(Main.run("compile", STORIES.toString(), "-o", d.toString(), "--board", "arty-a7-100t")).isZero();
        JsonNode m = new ObjectMapper().readTree(d.resolve("manifest.json").toFile());
        assertThat(m.path("weights").asText()).isEqualTo("dram");
        assertThat(m.path("vendor").path("fit").path("fits").asBoolean()).as(m.path("vendor").path("fit").toString()).isTrue();
        JsonNode bits = m.path("on_chip_memory_bits");
        int context = m.path("context").asInt();
        ModelSpec s = stories();
        long rope = 2L * context * (s.headDim() / 2) * 16;
        assertThat(BoardPlan.kvAndRopeBits(s, context) - rope).isEqualTo(bits.path("kv_cache").asLong());
        assertThat(rope).isLessThanOrEqualTo(bits.path("tables").asLong());
    }
}
