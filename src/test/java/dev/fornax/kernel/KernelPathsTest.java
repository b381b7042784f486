package dev.fornax.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.testing.Shared;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's control modules have no combinational path from an input to an output (they may sit
 * behind register slices) and no latch: Yosys elaborates each module (proc, flatten), and a search
 * over its netlist follows every input bit through the combinational cells; flip-flops and memory
 * writes end a path. A memory's asynchronous read counts as combinational (address to data).
 */
class KernelPathsTest {
    @TempDir
    Path tmp;

    /** The generated wrapper too, with the core (fornax_top) as a black box. */
    @Test
    void kernelWrapperHasNoInputToOutputPath() throws Exception {
        Shared.requireTool("yosys");
        Path d = tmp.resolve("d");
        assertThat(dev.fornax.cli.Main.run("compile", "models/stories260K/stories260K.bin", "-o", d.toString(), "--weights",
                "dram", "--context", "32")).isZero();
        JsonNode k = new ObjectMapper().readTree(d.resolve("manifest.json").toFile()).path("kernel");
        StringBuilder files = new StringBuilder();
        k.path("rtl").forEach(f -> {
            String n = f.asText();
            if (n.startsWith("rtl/fornax_kernel") || n.startsWith("rtl/fornax_axi_writer")) {
                files.append(' ').append(n);
            }
        });
        Path json = tmp.resolve("kernel.json");
        Process p = new ProcessBuilder("yosys", "-q", "-p", "read_verilog -Irtl -lib rtl/fornax_top.v; read_verilog -Irtl"
                + files + "; hierarchy -top fornax_kernel; proc; flatten; opt_clean; write_json " + json)
                .directory(d.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        JsonNode m = new ObjectMapper().readTree(json.toFile()).path("modules").path("fornax_kernel");
        assertThat(latches(m)).isEmpty();
        assertThat(combinationalPaths(m)).as("fornax_kernel: outputs reached combinationally from inputs").isEmpty();
    }

    @Test
    void noInputToOutputPathAndNoLatch() throws Exception {
        Shared.requireTool("yosys");
        for (String f : List.of("fornax_kernel_regs.v", "fornax_kernel_seq.v", "fornax_axi_writer.v")) {
            try (InputStream in = KernelPathsTest.class.getResourceAsStream("/rtl/" + f)) {
                Files.write(tmp.resolve(f), in.readAllBytes());
            }
        }
        Files.writeString(tmp.resolve(KernelWriter.REGS_INCLUDE), RegisterMap.verilogInclude());
        for (String top : List.of("fornax_kernel_regs", "fornax_kernel_seq", "fornax_axi_writer")) {
            Path json = tmp.resolve(top + ".json");
            Process p = new ProcessBuilder("yosys", "-q", "-p", "read_verilog -I. fornax_kernel_regs.v fornax_kernel_seq.v"
                    + " fornax_axi_writer.v; hierarchy -top " + top + "; proc; flatten; opt_clean; write_json " + json)
                    .directory(tmp.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            JsonNode m = new ObjectMapper().readTree(json.toFile()).path("modules").path(top);
            assertThat(latches(m)).as(top + " latches").isEmpty();
            assertThat(combinationalPaths(m)).as(top + ": outputs reached combinationally from inputs").isEmpty();
        }
    }

    static List<String> latches(JsonNode m) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("cells").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            if (c.getValue().path("type").asText().contains("latch")) {
                out.add(c.getKey());
            }
        }
        return out;
    }

    /**
     * Cells that end a path: flip-flops, memory writes, and instances of modules read as black boxes
     * (the core: by the cross-team contract every fornax_top output is registered).
     */
    static boolean sequential(String type) {
        return type.contains("dff") || type.contains("memwr") || type.equals("$sr") || !type.startsWith("$");
    }

    /** The output ports reached from any input port bit through combinational cells only. */
    static Set<String> combinationalPaths(JsonNode m) {
        Map<Long, List<Long>> next = new HashMap<>();
        for (Iterator<JsonNode> it = m.path("cells").elements(); it.hasNext(); ) {
            JsonNode c = it.next();
            String type = c.path("type").asText();
            if (sequential(type)) {
                continue;
            }
            List<Long> ins = new ArrayList<>();
            List<Long> outs = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> pt = c.path("connections").fields(); pt.hasNext(); ) {
                Map.Entry<String, JsonNode> e = pt.next();
                boolean output = c.path("port_directions").path(e.getKey()).asText().equals("output");
                // a $memrd's clock and enable are not data: only its address reaches its data
                if (type.startsWith("$memrd") && !output && !e.getKey().equals("ADDR")) {
                    continue;
                }
                for (JsonNode b : e.getValue()) {
                    if (b.isNumber()) {
                        (output ? outs : ins).add(b.asLong());
                    }
                }
            }
            for (long i : ins) {
                next.computeIfAbsent(i, k -> new ArrayList<>()).addAll(outs);
            }
        }
        Map<Long, String> outputBits = new HashMap<>();
        ArrayDeque<Long> work = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("ports").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            boolean input = p.getValue().path("direction").asText().equals("input");
            for (JsonNode b : p.getValue().path("bits")) {
                if (!b.isNumber()) {
                    continue;
                }
                if (input) {
                    if (seen.add(b.asLong())) {
                        work.add(b.asLong());
                    }
                } else {
                    outputBits.put(b.asLong(), p.getKey());
                }
            }
        }
        Set<String> hit = new TreeSet<>();
        while (!work.isEmpty()) {
            long n = work.poll();
            if (outputBits.containsKey(n)) {
                hit.add(outputBits.get(n));
            }
            for (long o : next.getOrDefault(n, List.of())) {
                if (seen.add(o)) {
                    work.add(o);
                }
            }
        }
        return hit;
    }
}
