package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.rtl.perf.Board;
import org.junit.jupiter.api.Test;

class BoardsCommandTest {
    @Test
    void listsEveryPresetAsTextAndJson() throws Exception {
        CliRun text = CliRun.of("boards");
        assertThat(text.exit()).isZero();
        for (Board b : Board.PRESETS) {
            assertThat(text.out()).contains(b.id()).contains(b.part());
        }
        CliRun json = CliRun.of("boards", "--json");
        assertThat(json.exit()).isZero();
        JsonNode all = new ObjectMapper().readTree(json.out());
        assertThat(all.size()).isEqualTo(Board.PRESETS.size());
        JsonNode u280 = all.get(Board.PRESETS.indexOf(Board.ALVEO_U280));
        assertThat(u280.path("id").asText()).isEqualTo("u280");
        assertThat(u280.path("memory_banks").get(0).path("count").asInt()).isEqualTo(32);
        assertThat(u280.path("memory_banks").get(0).path("width_bits").asInt()).isEqualTo(256);
        assertThat(u280.path("memory_ports").get(0).path("first_name").asText()).isEqualTo("HBM[0]");
        assertThat(u280.path("resources").path("luts").asLong()).isEqualTo(1_304_000L);
    }
}
