package dev.fornax.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page from parts alone: what a dram verify adds, what a missing part says, text kept as text. */
class ReportHtmlTest {
    static final String VERIFY_DRAM = """
            {"settings": {"simulator": "verilator", "stall_probability": 0.25, "stall_seed": 3,
                          "axi_read_latency_cycles": 8, "weights": "dram", "axi_data_width": 512, "lanes": 64},
             "match": true, "positions_compared": 3, "mismatch": null, "error": null,
             "prompt_tokens": [1, 2], "tokens": [7, 8], "stop_reason": "length",
             "text": "a <script>alert(1)</script> & more", "total_cycles": 30000,
             "positions": [
               {"position": 0, "token": 1, "prediction": 2, "cycles": 10000, "model_cycles": 9800, "ideal_cycles": 9000,
                "axi_beats": 9100, "matrix_cycles": 9200, "matrix_beats": 9100},
               {"position": 1, "token": 2, "prediction": 7, "cycles": 10010, "model_cycles": 9810, "ideal_cycles": 9010,
                "axi_beats": 9100, "matrix_cycles": 9200, "matrix_beats": 9050},
               {"position": 2, "token": 7, "prediction": 8, "cycles": 10020, "model_cycles": 9820, "ideal_cycles": 9020,
                "axi_beats": 9100, "matrix_cycles": 0, "matrix_beats": 0}],
             "cycles_per_token": 10015, "ideal_cycles_per_token": 9015,
             "performance": {"cycles_per_token": 10015, "assumptions": "assumed",
                             "boards": [{"name": "KV260", "clock_hz": 2.5e8, "tokens_per_s": 24962, "limited_by": "compute",
                                         "fits_dram": true}]}}
            """;

    @Test
    void aDramVerifyDrawsTheAxiTrafficAndUtilisationPerPosition() throws Exception {
        Map<String, JsonNode> parts = new TreeMap<>(Map.of("verify", new ObjectMapper().readTree(VERIFY_DRAM)));
        String html = ReportHtml.render(parts);
        assertThat(points(html, "axi-bytes")).isEqualTo(3 + 0); // the model line needs the compile part
        // matrix-phase utilisation where a matrix phase was counted (2 positions), whole-position at all 3
        assertThat(points(html, "axi-util")).isEqualTo(2 + 3);
        assertThat(points(html, "cycles-token")).isEqualTo(9);
        assertThat(points(html, "boards")).isEqualTo(1);
        assertThat(html).contains("<title>measured at 0: 582.4</title>"); // 9,100 beats × 64 bytes = 582.4 kB
        assertThat(html).contains("stall probability 0.25, AXI read latency 8 cycles");
        assertThat(html).contains("Not in this report yet: run <code>fornax compile MODEL -o DIR</code>")
                .contains("Not in this report yet: run <code>fornax eval MODEL --text FILE --report DIR</code>")
                .contains("Not in this report yet: run <code>fornax synth DIR</code>");
        // the generated text is text, never markup
        assertThat(html).contains("a &lt;script&gt;alert(1)&lt;/script&gt; &amp; more").doesNotContain("<script>alert");
        assertThat(ReportHtml.render(parts)).isEqualTo(html);
    }

    private static int points(String html, String id) {
        Matcher m = Pattern.compile("<svg class=\"plot\" id=\"" + id + "\".*?</svg>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as(id).isTrue();
        return m.group().split("class=\"pt\"", -1).length - 1;
    }
}
