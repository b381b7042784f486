package dev.fornax.rtl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.fornax.sim.DesignManifest;
import dev.fornax.sim.SimRequest;
import dev.fornax.sim.SimResults;
import dev.fornax.sim.SimRunner;
import dev.fornax.sim.Simulator;

/**
 * Runs tokens through a compiled design in Verilator: rom designs with the small test harness
 * fornax_tb.cpp, dram designs with the design's own harness and its AXI memory model
 * ({@link SimRunner}, docs/SIMULATION.md), so there is one memory model.
 */
final class VerilatorRunner {
    /** Read latency of the memory model for dram designs, unless a test names its own. */
    static final int DRAM_LATENCY = SimRequest.DEFAULT_AXI_LATENCY;

    /** One token's result: prediction, cycles from acceptance to prediction, all logits. */
    record Step(int pred, long cycles, int[] logits) {}

    private VerilatorRunner() {}

    static Path build(Path design, DesignInfo info, String... extra) throws IOException, InterruptedException {
        if (info.weights().equals("dram")) {
            if (extra.length != 0) {
                throw new IllegalArgumentException("dram designs build through SimRunner, without extra options");
            }
            return design.resolve("manifest.json");
        }
        Path tb = design.resolve("test_tb.cpp");
        try (var in = VerilatorRunner.class.getResourceAsStream("/rtl/fornax_tb.cpp")) {
            Files.copy(in, tb, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of("verilator", "--cc", "--exe", "--build", "-O3", "-Wno-fatal",
                "--x-assign", "fast", "--x-initial", "fast", "-Irtl", "--top-module", info.top(), "-Mdir", "obj_test",
                "-o", "Vtest", "-CFLAGS", "-O2", "-MAKEFLAGS", "-j2"));
        cmd.addAll(List.of(extra));
        cmd.addAll(info.rtlFiles());
        cmd.add("test_tb.cpp");
        run(design, cmd, design.resolve("obj_test.log"));
        return design.resolve("obj_test/Vtest");
    }

    static List<Step> run(Path design, Path exe, int[] tokens, boolean[] first, int stallPercent)
            throws IOException, InterruptedException {
        return run(design, exe, tokens, first, stallPercent, DRAM_LATENCY);
    }

    /** @param latency dram designs: the memory model's read latency in cycles */
    static List<Step> run(Path design, Path exe, int[] tokens, boolean[] first, int stallPercent, int latency)
            throws IOException, InterruptedException {
        if (exe.getFileName().toString().equals("manifest.json")) {
            return runDram(design, tokens, first, stallPercent, latency);
        }
        Path tf = design.resolve("test_tokens.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            sb.append(tokens[i]).append(' ').append(first[i] ? 1 : 0).append('\n');
        }
        Files.writeString(tf, sb);
        Path out = design.resolve("test_out.txt");
        run(design, List.of(exe.toString(), tf.toString(), out.toString(), Integer.toString(stallPercent)),
                design.resolve("test_run.log"));
        List<Step> steps = new ArrayList<>();
        List<String> lines = Files.readAllLines(out);
        int i = 0;
        while (i < lines.size() && lines.get(i).startsWith("P ")) {
            String[] p = lines.get(i).split(" ");
            i++;
            List<Integer> l = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).startsWith("P ") && !lines.get(i).startsWith("END")
                    && !lines.get(i).startsWith("OVERFLOW")) {
                l.add(Integer.parseInt(lines.get(i).trim()));
                i++;
            }
            steps.add(new Step(Integer.parseInt(p[1]), Long.parseLong(p[2]),
                    l.stream().mapToInt(Integer::intValue).toArray()));
        }
        return steps;
    }

    /** The design's own harness: each first-flagged token starts a sequence; only the given tokens are fed. */
    private static List<Step> runDram(Path design, int[] tokens, boolean[] first, int stallPercent, int latency) {
        List<List<Integer>> seqs = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (first[i] || seqs.isEmpty()) {
                seqs.add(new ArrayList<>());
            }
            seqs.get(seqs.size() - 1).add(tokens[i]);
        }
        SimRequest req = new SimRequest(seqs, 0, List.of(), true, stallPercent / 100.0, 12345, null,
                SimRequest.DEFAULT_TIMEOUT_CYCLES, latency, false);
        DesignManifest m = DesignManifest.read(design);
        SimResults r = new SimRunner(design, m.design(), Simulator.VERILATOR, null).run(req);
        if (r.status() != SimResults.Status.OK) {
            throw new AssertionError("simulation of " + design + " " + r.status().meaning() + ": " + r.message());
        }
        List<Step> steps = new ArrayList<>();
        for (SimResults.Position p : r.positions()) {
            steps.add(new Step(p.prediction(), p.cycles(), p.logits()));
        }
        return steps;
    }

    private static void run(Path dir, List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new AssertionError("command failed (" + rc + "): " + String.join(" ", cmd) + "\n"
                    + Files.readString(log));
        }
    }
}
