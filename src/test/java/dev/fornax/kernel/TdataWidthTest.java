package dev.fornax.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bare core's AXI4-Stream token ports carry whole bytes (AMBA AXI4-Stream, ARM IHI 0051A §2.1:
 * TDATA is an integer number of bytes): for vocabularies either side of a byte boundary the
 * generated fornax_top's s_tok_tdata and m_pred_tdata are the token id's bits rounded up to a byte,
 * the manifest says the same width, and the kernel's sequencer gets it as TDATA_W.
 */
class TdataWidthTest {
    @TempDir
    Path tmp;

    @Test
    void tokenStreamsAreWholeBytes() throws Exception {
        // vocab -> token bits (ceil log2) -> tdata bits
        int[][] cases = {{256, 8, 8}, {257, 9, 16}, {512, 9, 16}, {70000, 17, 24}};
        for (int[] c : cases) {
            Path model = tmp.resolve("m" + c[0]);
            Path out = tmp.resolve("d" + c[0]);
            assertThat(Main.run("tiny", "--arch", "llama", "--vocab", Integer.toString(c[0]), "--hidden", "32", "--heads", "2",
                    "--layers", "1", "--intermediate", "64", "-o", model.toString())).isZero();
            assertThat(Main.run("compile", model.toString(), "-o", out.toString(), "--context", "8")).isZero();
            String top = Files.readString(out.resolve("rtl/fornax_top.v"));
            for (String port : new String[] {"s_tok_tdata", "m_pred_tdata"}) {
                Matcher m = Pattern.compile("wire \\[(\\d+):0\\] " + port + "\\b").matcher(top);
                assertThat(m.find()).as(port + " in fornax_top.v of vocab " + c[0]).isTrue();
                int w = Integer.parseInt(m.group(1)) + 1;
                assertThat(w).as(port + " of vocab " + c[0]).isEqualTo(c[2]);
                assertThat(w % 8).isZero();
            }
            assertThat(new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).path("kernel")
                    .path("token_tdata_width").asInt()).isEqualTo(c[2]);
            String kernel = Files.readString(out.resolve("rtl/fornax_kernel.v"));
            assertThat(kernel).contains(".TOK_W(" + c[1] + ")", ".TDATA_W(" + c[2] + ")");
        }
    }
}
