package dev.fornax.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Rope;
import dev.fornax.ir.RopeScaling;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Rope#inverseFrequencies} bit for bit against torch 1.13 running transformers v4.44's
 * formulas (default, linear, llama3). Reference: rope-inv-freq-torch1.13.txt, produced by the
 * .py next to it under Debian's python3-torch 1.13.1 (see README.md in that folder).
 */
class RopeFrequenciesTest {

    @Test
    void everyCaseMatchesTorchBitForBit() throws IOException {
        List<String> lines = referenceLines();
        assertThat(lines).hasSizeGreaterThan(30);
        List<String> mismatches = new ArrayList<>();
        for (String line : lines) {
            // kind theta dim [params] hex...
            int open = line.indexOf('[');
            int close = line.indexOf(']');
            String[] head = line.substring(0, open).trim().split(" ");
            String params = line.substring(open + 1, close).trim();
            String[] hex = line.substring(close + 1).trim().split(" ");
            double theta = Double.parseDouble(head[1]);
            int dim = Integer.parseInt(head[2]);
            RopeScaling scaling = switch (head[0]) {
                case "none" -> new RopeScaling.None();
                case "linear" -> new RopeScaling.Linear(Double.parseDouble(params));
                case "llama3" -> {
                    String[] p = params.split(" ");
                    yield new RopeScaling.Llama3(Double.parseDouble(p[0]), Double.parseDouble(p[1]),
                            Double.parseDouble(p[2]), Integer.parseInt(p[3]));
                }
                default -> throw new AssertionError("unknown kind in reference: " + line);
            };
            float[] actual = new Rope(theta, scaling).inverseFrequencies(dim);
            assertThat(actual).as(line).hasSize(hex.length);
            for (int i = 0; i < hex.length; i++) {
                int expectedBits = Integer.parseUnsignedInt(hex[i], 16);
                int actualBits = Float.floatToRawIntBits(actual[i]);
                if (actualBits != expectedBits) {
                    mismatches.add(line.substring(0, close + 1) + " i=" + i + " ulps=" + (actualBits - expectedBits));
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static List<String> referenceLines() throws IOException {
        try (InputStream in = RopeFrequenciesTest.class.getResourceAsStream("rope-inv-freq-torch1.13.txt")) {
            assertThat(in).as("reference file on the test classpath").isNotNull();
            List<String> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
            return out;
        }
    }
}
