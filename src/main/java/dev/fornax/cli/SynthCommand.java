package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.OutputTargets;
import dev.fornax.io.Scratch;
import dev.fornax.sim.DesignManifest;
import dev.fornax.synth.Family;
import dev.fornax.synth.SynthReport;
import dev.fornax.synth.Synthesis;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fornax synth DIR [--family xc7|xcup|ice40] [--pnr] [--json] [--netlist FILE]}: Yosys on a
 * compiled design, the resource table and a timing estimate (logic levels, worst paths, estimated
 * period), or with {@code --family ice40 --pnr} nextpnr-ice40's post-route Fmax. Writes the JSON to
 * DIR/synth.json. Fails on a latch or on a memory that Yosys built from logic instead of a RAM.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Synthesise a compiled design with Yosys and estimate its timing: resources, logic levels, the "
                + "worst paths and an estimated clock period (data-sheet delays, not a sign-off); --family ice40 "
                + "--pnr places and routes with nextpnr-ice40 and reports its post-route Fmax.")
final class SynthCommand implements Callable<Integer> {
    /** A memory with a registered read port this large that ends up in flip-flops was meant for block RAM. */
    static final long BLOCK_RAM_BITS = 2048;

    @Parameters(index = "0", paramLabel = "DIR", description = "a design directory written by fornax compile")
    Path dir;

    @Option(names = "--family", paramLabel = "NAME", defaultValue = "xc7",
            description = "xc7 (7-series), xcup (UltraScale+) or ice40 (default: ${DEFAULT-VALUE})")
    String family;

    @Option(names = "--pnr", description = "ice40 only: place and route with nextpnr-ice40 and report its post-route Fmax")
    boolean pnr;

    @Option(names = "--json", description = "print the JSON report (also written to DIR/synth.json)")
    boolean json;

    @Option(names = "--netlist", paramLabel = "FILE", description = "keep Yosys's flattened JSON netlist here")
    Path netlist;

    @Override
    public Integer call() {
        Family f = Family.parse(family);
        if (pnr && f != Family.ICE40) {
            throw new FornaxException("--pnr places and routes on an iCE40 only; add --family ice40");
        }
        DesignManifest m = DesignManifest.read(dir);
        SynthReport report = SynthReport.run(dir, m.design(), f, pnr, netlist, line -> { });
        write(dir.resolve("synth.json"), report.jsonText());
        PrintStream out = Utf8Out.stdout();
        out.print(json ? report.jsonText() : report.text());
        out.flush();
        check(report);
        return 0;
    }

    /** The failures of issue 9: a latch, or a memory with a registered read that became logic. */
    static void check(SynthReport r) {
        long latches = r.cells().latches();
        if (latches > 0) {
            throw new FornaxException("synthesis inferred " + latches + " latch(es) (" + r.family().key + "); see synth.json");
        }
        List<String> bad = new ArrayList<>();
        for (Synthesis.LogicMemory mem : r.logicMemories()) {
            if (mem.clockedRead() && mem.bits() >= BLOCK_RAM_BITS) {
                bad.add(mem.name() + " (" + mem.words() + " x " + mem.width() + ")");
            }
        }
        if (!bad.isEmpty()) {
            throw new FornaxException("Yosys built " + String.join(", ", bad) + " from flip-flops and logic instead of block RAM ("
                    + r.family().key + ")");
        }
    }

    static void write(Path file, String text) {
        Path target = file.toAbsolutePath();
        OutputTargets.requireFile(target, "synth.json");
        Scratch.reclaim(target, true);
        try (Scratch tmp = Scratch.file(target, true)) {
            Files.writeString(tmp.path(), text);
            tmp.commit();
        } catch (IOException e) {
            throw new FornaxException("cannot write " + file + ": " + IoErrors.describe(e), e);
        }
    }
}
