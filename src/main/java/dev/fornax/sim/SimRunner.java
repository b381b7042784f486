package dev.fornax.sim;

import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.OutputTargets;
import dev.fornax.io.Scratch;
import dev.fornax.rtl.DesignInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a compiled design's simulator (Verilator: cached by content hash; Icarus: compiled to
 * the same cache) and runs the harness of {@link TestbenchWriter} on it. The simulation runs with
 * the design directory as working directory, so relative memory-file paths resolve. Progress
 * lines ("fornax-sim: ...") go to the progress consumer as they come.
 */
public final class SimRunner {
    private static final String PROGRESS_PREFIX = "fornax-sim: ";

    private final Path dir;
    private final DesignInfo design;
    private final Simulator simulator;
    private final Consumer<String> progress;

    public SimRunner(Path dir, DesignInfo design, Simulator simulator, Consumer<String> progress) {
        this.dir = dir.toAbsolutePath().normalize();
        this.design = design;
        this.simulator = simulator;
        this.progress = progress == null ? s -> { } : progress;
        TestbenchWriter.validate(design, this.dir);
    }

    public Simulator simulator() {
        return simulator;
    }

    /** Builds (or finds in the cache) and runs the simulation. */
    public SimResults run(SimRequest request) {
        if (!Files.isRegularFile(dir.resolve(HarnessFlags.HARNESS_CPP)) || !Files.isRegularFile(dir.resolve(HarnessFlags.TESTBENCH_V))) {
            TestbenchWriter.write(design, dir);
        }
        // the VCD is written next to its target and renamed into place only when the run finished
        Path waveTarget = request.wave() == null ? null : request.wave().toAbsolutePath();
        if (waveTarget != null) {
            OutputTargets.requireFile(waveTarget, "--wave");
            Scratch.reclaim(waveTarget, true);
        }
        long t0 = System.nanoTime();
        Path executable = simulator == Simulator.VERILATOR ? buildVerilator(request.wave() != null, request.trace())
                : buildIverilog(request.trace());
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        try (Scratch work = Scratch.workDirectory("fornax-sim");
                Scratch wave = waveTarget == null ? null : Scratch.file(waveTarget, true)) {
            Path out = work.path().resolve("results.bin");
            Path dram = null; // the harness loads the image's files named in its config, relative to DIR
            SimRequest r = wave == null ? request : request.withWave(wave.path());
            List<String> cmd = new ArrayList<>();
            if (simulator == Simulator.VERILATOR) {
                cmd.add(executable.toString());
                cmd.addAll(r.harnessArgs(out, dram));
            } else {
                cmd.add(Tools.require("vvp", "iverilog", "to run Icarus simulations").toString());
                cmd.add("-n");
                cmd.add(executable.toString());
                cmd.addAll(r.plusargs(out, dram));
            }
            List<String> other = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            long s0 = System.nanoTime();
            Tools.Result res = Tools.run(cmd, dir, line -> {
                if (line.startsWith(PROGRESS_PREFIX)) {
                    if (line.startsWith(PROGRESS_PREFIX + "error: ")) {
                        errors.add(line.substring(PROGRESS_PREFIX.length() + 7));
                    }
                    progress.accept(line);
                } else {
                    other.add(line);
                }
            }, false);
            double simSeconds = (System.nanoTime() - s0) / 1e9;
            if (!Files.exists(out) || res.exitCode() == 2) {
                throw new FornaxException(simulator.tool() + " simulation failed (exit " + res.exitCode() + ")"
                        + (errors.isEmpty() ? "" : ": " + String.join("; ", errors)));
            }
            String lastOutput = other.isEmpty() ? "" : "; last output:\n" + String.join("\n", other.subList(Math.max(0, other.size() - 5), other.size()));
            SimResultFile.Contents c;
            try {
                c = SimResultFile.read(out);
            } catch (FornaxException e) {
                throw new FornaxException(simulator.tool() + " simulation died (exit " + res.exitCode() + "): " + e.getMessage() + lastOutput);
            }
            if (!c.ended()) {
                throw new FornaxException(simulator.tool() + " simulation stopped before finishing (exit " + res.exitCode()
                        + ") after " + c.positions().size() + " positions" + lastOutput);
            }
            if (c.vocab() != design.vocab()) {
                throw new FornaxException("simulation wrote " + c.vocab() + " logits per position, the design has " + design.vocab());
            }
            if (wave != null) {
                wave.commit();
            }
            SimResults.Status[] st = SimResults.Status.values();
            SimResults.Status status = c.status() >= 0 && c.status() < st.length ? st[c.status()] : SimResults.Status.USAGE;
            return new SimResults(c.positions(), status, c.totalCycles(), errors.isEmpty() ? null : String.join("; ", errors),
                    other, simSeconds, buildSeconds);
        }
    }

    /** {@code verilator --lint-only -Wall} on the design: the lines it printed (empty when clean). */
    public List<String> lint() {
        Path verilator = Tools.require("verilator", "verilator", "to lint the design");
        List<String> cmd = new ArrayList<>(List.of(verilator.toString()));
        cmd.addAll(HarnessFlags.lint(design));
        return Tools.run(cmd, dir, null, true).lines();
    }

    private List<String> sources() {
        List<String> files = new ArrayList<>(design.rtlFiles());
        files.addAll(BuildCache.includeFiles(dir, design.includeDirs()));
        return files;
    }

    Path buildVerilator(boolean wave, boolean opTrace) {
        Path verilator = Tools.require("verilator", "verilator", "to simulate with Verilator");
        Tools.require("g++", "g++", "to compile the Verilator model");
        Tools.require("make", "make", "to build the Verilator model");
        List<String> options = HarnessFlags.verilatorBuild(design, wave, opTrace, dir.resolve(HarnessFlags.HARNESS_CPP).toString());
        List<String> files = sources();
        files.add(HarnessFlags.HARNESS_CPP);
        files.add("tb/fornax_config.h");
        // keyed by the relative form of the options, so the same design compiled elsewhere reuses the model
        String key = BuildCache.hash(List.of("fornax-verilator-1", Tools.version(verilator, "--version"),
                String.join("\u0000", HarnessFlags.verilatorBuild(design, wave, opTrace, HarnessFlags.HARNESS_CPP))), dir, files);
        Path target = BuildCache.root().resolve("verilator").resolve(key);
        Path exe = target.resolve(HarnessFlags.PREFIX);
        if (Files.isExecutable(exe)) {
            return exe;
        }
        progress.accept(PROGRESS_PREFIX + "building the Verilator model (" + key + ") ...");
        try (Scratch scratch = cacheScratch(target)) {
            Path tmp = scratch.path();
        List<String> cmd = new ArrayList<>(List.of(verilator.toString()));
        cmd.addAll(options);
        cmd.add("--Mdir");
        cmd.add(tmp.resolve("obj_dir").toString());
            Tools.Result r = Tools.run(cmd, dir, null, true);
            if (r.exitCode() != 0 || !Files.isExecutable(tmp.resolve("obj_dir").resolve(HarnessFlags.PREFIX))) {
                throw new FornaxException("Verilator build of " + design.top() + " failed (exit " + r.exitCode() + "):\n" + r.tail(25));
            }
            try {
                Files.move(tmp.resolve("obj_dir").resolve(HarnessFlags.PREFIX), tmp.resolve(HarnessFlags.PREFIX));
                BuildCache.deleteTree(tmp.resolve("obj_dir"));
            } catch (IOException e) {
                throw new FornaxException("cannot store the Verilator model in " + tmp + ": " + IoErrors.describe(e), e);
            }
            publish(scratch, target);
        }
        return exe;
    }

    Path buildIverilog(boolean opTrace) {
        Path iverilog = Tools.require("iverilog", "iverilog", "to simulate with Icarus Verilog");
        Tools.require("vvp", "iverilog", "to run Icarus simulations");
        List<String> options = HarnessFlags.iverilog(design, opTrace);
        List<String> files = sources();
        files.add(HarnessFlags.TESTBENCH_V);
        files.add("tb/fornax_tb_config.vh");
        String key = BuildCache.hash(List.of("fornax-iverilog-1", Tools.version(iverilog, "-V"),
                String.join("\u0000", options)), dir, files);
        Path target = BuildCache.root().resolve("iverilog").resolve(key);
        Path vvp = target.resolve("sim.vvp");
        if (Files.isRegularFile(vvp)) {
            return vvp;
        }
        progress.accept(PROGRESS_PREFIX + "compiling with Icarus Verilog (" + key + ") ...");
        try (Scratch scratch = cacheScratch(target)) {
            List<String> cmd = new ArrayList<>(List.of(iverilog.toString(), "-o",
                    scratch.path().resolve("sim.vvp").toString()));
            cmd.addAll(options);
            Tools.Result r = Tools.run(cmd, dir, null, true);
            if (r.exitCode() != 0) {
                throw new FornaxException("iverilog compile of " + design.top() + " failed (exit " + r.exitCode() + "):\n" + r.tail(25));
            }
            publish(scratch, target);
        }
        return vvp;
    }

    /**
     * A build directory next to its cache entry ({@code KEY.tmp-PID-START}); the stale ones that
     * killed runs left in this cache are reclaimed first.
     */
    static Scratch cacheScratch(Path target) {
        // the cache directories are created by the scratch itself, so an interrupted first build
        // removes them again (nothing left on disk); reclaimAll skips a directory not there yet
        Scratch.reclaimAll(target.getParent());
        return Scratch.directory(target, false);
    }

    /** Renames a finished build into place; a concurrent build of the same hash may have won. */
    static void publish(Scratch build, Path target) {
        if (Files.isDirectory(target)) {
            return; // another run stored the same build meanwhile; ours is deleted on close
        }
        try {
            build.commit();
        } catch (FornaxException e) {
            if (!Files.isDirectory(target)) {
                throw new FornaxException("cannot store the simulator in " + target + ": " + e.getMessage(), e);
            }
        }
    }
}
