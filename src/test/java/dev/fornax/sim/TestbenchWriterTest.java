package dev.fornax.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.rtl.DesignInfo;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestbenchWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheSameBytesTwice() throws IOException {
        StandinDesign d = StandinDesign.create(tmp, 100, 32, true, 64, 0);
        List<String> files = List.of("tb/fornax_harness.cpp", "tb/fornax_tb.v", "tb/fornax_config.h", "tb/fornax_tb_config.vh", "Makefile");
        List<byte[]> first = files.stream().map(f -> read(d.dir.resolve(f))).toList();
        TestbenchWriter.write(d.info, d.dir);
        for (int i = 0; i < files.size(); i++) {
            assertThat(read(d.dir.resolve(files.get(i)))).as(files.get(i)).isEqualTo(first.get(i));
        }
        assertThat(Files.readString(d.dir.resolve("tb/fornax_tb_config.vh")))
                .contains("`define FORNAX_TOP standin_top")
                .contains("`define FORNAX_DRAM_BYTES " + 100 * StandinDesign.ROW_STRIDE)
                .contains("`define FORNAX_AXI_DW 64");
        try (var s = Files.list(d.dir.resolve("tb"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void refusesBadDesigns() {
        DesignInfo noImage = new DesignInfo("t", List.of("rtl/t.v"), List.of(), 7, 100, 8, 16, "dram", 64, 32, "mem/none.bin", List.of());
        assertThatThrownBy(() -> TestbenchWriter.write(noImage, tmp)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("none.bin").hasMessageContaining("missing");
        DesignInfo narrow = new DesignInfo("t", List.of("rtl/t.v"), List.of(), 6, 100, 8, 16, "rom", 0, 0, null, List.of());
        assertThatThrownBy(() -> TestbenchWriter.write(narrow, tmp)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("tokenWidth 6 cannot hold 100");
        DesignInfo oddBus = new DesignInfo("t", List.of("rtl/t.v"), List.of(), 7, 100, 8, 16, "dram", 48, 32, "x.bin", List.of());
        assertThatThrownBy(() -> TestbenchWriter.write(oddBus, tmp)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("axiDataWidth 48");
    }

    /** The Makefile replays the simulation without Java and gives the same results file. */
    @Test
    void makefileReplaysTheSameSimulation() throws IOException {
        Shared.requireTool("verilator");
        Shared.requireTool("iverilog");
        Shared.requireTool("make");
        StandinDesign d = StandinDesign.create(tmp, 100, 32, true, 64, 0);
        SimRequest req = new SimRequest(List.of(List.of(1, 17), List.of(4)), 3, List.of(), false, 0.3, 4, null,
                SimRequest.DEFAULT_TIMEOUT_CYCLES, SimRequest.DEFAULT_AXI_LATENCY, false);
        SimResults viaJava = new SimRunner(d.dir, d.info, Simulator.VERILATOR, null).run(req);
        for (String target : List.of("sim", "iverilog")) {
            Tools.Result r = Tools.run(List.of("make", "-s", target, "TOKENS=1,17/4", "N=3", "STALL=0.3", "SEED=4",
                    "OUT=replay-" + target + ".bin"), d.dir, null, true);
            assertThat(r.exitCode()).as(r.tail(20)).isZero();
            SimResultFile.Contents c = SimResultFile.read(d.dir.resolve("replay-" + target + ".bin"));
            assertThat(c.ended()).isTrue();
            assertThat(c.totalCycles()).isEqualTo(viaJava.totalCycles());
            assertThat(c.positions()).hasSameSizeAs(viaJava.positions());
            for (int i = 0; i < c.positions().size(); i++) {
                assertThat(c.positions().get(i).logits()).isEqualTo(viaJava.positions().get(i).logits());
                assertThat(c.positions().get(i).cycles()).isEqualTo(viaJava.positions().get(i).cycles());
            }
        }
        Tools.Result lint = Tools.run(List.of("make", "-s", "lint"), d.dir, null, true);
        assertThat(lint.exitCode()).as(lint.tail(20)).isZero();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
