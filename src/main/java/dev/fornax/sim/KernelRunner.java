package dev.fornax.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.FornaxException;
import dev.fornax.io.Scratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds (cached by content hash, like {@link SimRunner}) and runs a design's kernel harness: the
 * kernel in Verilator with the host driver linked in, as docs/SIMULATION.md ("Kernel harness")
 * describes. The harness writes the core harness's result file (one record per position, logits
 * as the kernel wrote them to device memory) and a JSON summary of every run as the driver saw it.
 */
public final class KernelRunner {
    static final String PREFIX = "Vfornax_kdut";
    private static final String PROGRESS = "fornax-sim: ";

    private final Path dir;
    private final KernelDesign design;
    private final Simulator simulator;
    private final Consumer<String> progress;

    public KernelRunner(Path dir, KernelDesign design, Simulator simulator, Consumer<String> progress) {
        this.dir = dir.toAbsolutePath().normalize();
        this.design = design;
        this.simulator = simulator;
        this.progress = progress == null ? s -> { } : progress;
    }

    /**
     * One harness invocation.
     *
     * @param mode       run (every sequence through fornax_run), regs (register read/write sweep) or
     *                   restart (AUTO_RESTART)
     * @param irq        the driver waits for the interrupt instead of polling AP_CTRL
     * @param logits     the kernel writes every position's logits (needed for a logit-by-logit verify)
     * @param extra      further harness arguments (--inject-rresp N, --io-latency N, ...)
     */
    public record Request(SimRequest sim, String mode, boolean irq, boolean logits, List<String> extra) {
        public Request {
            extra = List.copyOf(extra);
        }

        public static Request of(SimRequest sim) {
            return new Request(sim, "run", false, true, List.of());
        }

        public Request withIrq(boolean on) {
            return new Request(sim, mode, on, logits, extra);
        }

        public Request withMode(String m) {
            return new Request(sim, m, irq, logits, extra);
        }

        public Request withExtra(String... args) {
            List<String> e = new ArrayList<>(extra);
            e.addAll(List.of(args));
            return new Request(sim, mode, irq, logits, e);
        }
    }

    /** The result file and the driver's view of each run ({@code runs}, {@code open}, {@code status}). */
    public record Outcome(SimResults sim, JsonNode kernel) {}

    public Outcome run(Request rq) {
        long t0 = System.nanoTime();
        boolean icarus = simulator == Simulator.IVERILOG;
        if (icarus && rq.sim().wave() != null) {
            throw new FornaxException("--wave with --via kernel needs --sim verilator");
        }
        Path exe = icarus ? buildIcarus() : build(rq.sim().wave() != null);
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        // removed when done, and on SIGINT/SIGTERM too (Scratch)
        try (Scratch scratch = Scratch.workDirectory("fornax-ksim")) {
            Path work = scratch.path();
            Path out = work.resolve("results.bin");
            Path json = work.resolve("kernel.json");
            SimRequest s = rq.sim();
            List<String> cmd = new ArrayList<>();
            if (icarus) {
                cmd.addAll(List.of(Tools.require("vvp", "iverilog", "to run Icarus simulations").toString(), "-n", "-M",
                        exe.getParent().toString(), "-m", VPI_MODULE, exe.toString()));
            } else {
                cmd.add(exe.toString());
            }
            cmd.addAll(List.of("--mode", rq.mode(), "-n",
                    Integer.toString(s.maxNew()), "--stall", Double.toString(s.stall()), "--seed", Long.toString(s.seed()),
                    "--axi-latency", s.memory().latencyArg(), "--timeout", Long.toString(s.timeoutCycles()),
                    "--out", out.toString(), "--json", json.toString()));
            // the core harness's memory model, the same options (fornax_axi_model.h)
            if (s.memory().blackoutEvery() != 0) {
                cmd.add("--axi-blackout");
                cmd.add(s.memory().blackoutEvery() + "," + s.memory().blackoutCycles());
            }
            if (s.memory().rateNum() != s.memory().rateDen()) {
                cmd.add("--axi-rate");
                cmd.add(s.memory().rateNum() + "/" + s.memory().rateDen());
            }
            if (s.memory().injectRresp() != 0) {
                cmd.add("--inject-rresp");
                cmd.add(Long.toString(s.memory().injectRresp()));
            }
            if (!rq.mode().equals("regs") || !s.sequences().isEmpty()) {
                cmd.add("--tokens");
                cmd.add(tokens(s.sequences()));
            }
            if (!s.eos().isEmpty()) {
                cmd.add("--eos");
                cmd.add(join(s.eos()));
            }
            if (s.ignoreEos()) {
                cmd.add("--ignore-eos");
            }
            if (rq.irq()) {
                cmd.add("--irq");
            }
            if (!rq.logits()) {
                cmd.add("--no-logits");
            }
            if (!design.images().isEmpty()) {
                List<String> abs = new ArrayList<>();
                design.images().forEach(i -> abs.add(dir.resolve(i).toString()));
                cmd.add("--dram");
                cmd.add(String.join(",", abs));
            }
            if (s.wave() != null) {
                cmd.add("--wave");
                cmd.add(s.wave().toAbsolutePath().toString());
            }
            cmd.addAll(rq.extra());
            List<String> errors = new ArrayList<>();
            List<String> other = new ArrayList<>();
            long s0 = System.nanoTime();
            Tools.Result res = Tools.run(cmd, dir, line -> {
                if (line.startsWith(PROGRESS)) {
                    if (line.startsWith(PROGRESS + "error: ")) {
                        errors.add(line.substring(PROGRESS.length() + 7));
                    }
                    progress.accept(line);
                } else {
                    other.add(line);
                }
            }, false);
            double simSeconds = (System.nanoTime() - s0) / 1e9;
            if (!Files.exists(out) || !Files.exists(json) || res.exitCode() == 2) {
                throw new FornaxException("kernel simulation failed (exit " + res.exitCode() + ")"
                        + (errors.isEmpty() ? "" : ": " + String.join("; ", errors)));
            }
            SimResultFile.Contents c = SimResultFile.read(out);
            if (!c.ended()) {
                throw new FornaxException("kernel simulation stopped before finishing (exit " + res.exitCode() + ")");
            }
            JsonNode k;
            try {
                k = new ObjectMapper().readTree(json.toFile());
            } catch (IOException e) {
                throw new FornaxException("kernel simulation wrote an unreadable summary: " + e.getMessage(), e);
            }
            SimResults.Status[] st = SimResults.Status.values();
            SimResults.Status status = c.status() >= 0 && c.status() < st.length ? st[c.status()] : SimResults.Status.USAGE;
            SimResults sim = new SimResults(c.positions(), status, c.totalCycles(),
                    errors.isEmpty() ? null : String.join("; ", errors), other, simSeconds, buildSeconds);
            return new Outcome(sim, k);
        }
    }

    private static String tokens(List<List<Integer>> seqs) {
        List<String> s = new ArrayList<>();
        seqs.forEach(q -> s.add(join(q)));
        return String.join("/", s);
    }

    private static String join(List<Integer> ids) {
        List<String> s = new ArrayList<>();
        ids.forEach(i -> s.add(Integer.toString(i)));
        return String.join(",", s);
    }

    static final String VPI_MODULE = "fornax_kernel";

    /** iverilog options: the kernel's testbench as root, Verilog-2005. */
    List<String> iverilogOptions() {
        List<String> a = new ArrayList<>(List.of("-g2005", "-s", "fornax_kernel_tb"));
        for (String inc : design.includeDirs()) {
            a.add("-I");
            a.add(inc);
        }
        a.add("tb/" + KernelBenchWriter.TB);
        a.addAll(design.rtl());
        return a;
    }

    /**
     * Icarus: the VPI module (the bench and the driver, compiled with the flags iverilog-vpi reports)
     * and the compiled testbench, cached together; returns the .vvp file.
     */
    Path buildIcarus() {
        Path iverilog = Tools.require("iverilog", "iverilog", "to simulate the kernel with Icarus Verilog");
        Path cc = Tools.require("gcc", "gcc", "to compile the host driver");
        Path cxx = Tools.require("g++", "g++", "to compile the VPI module");
        Path vpiTool = Tools.require("iverilog-vpi", "iverilog", "to find the VPI headers");
        if (!Files.isRegularFile(dir.resolve("tb").resolve(KernelBenchWriter.VPI))) {
            throw new FornaxException(dir + " has no Icarus kernel harness (tb/" + KernelBenchWriter.VPI
                    + "); recompile the design with fornax compile");
        }
        List<String> files = new ArrayList<>(design.rtl());
        files.addAll(BuildCache.includeFiles(dir, design.includeDirs()));
        files.addAll(List.of("tb/" + KernelBenchWriter.TB, "tb/" + KernelBenchWriter.VPI, "tb/" + KernelBenchWriter.BENCH,
                "tb/" + KernelBenchWriter.MODEL,
                "tb/" + KernelBenchWriter.CONFIG, "driver/fornax_driver.c", "driver/fornax_driver.h", "driver/fornax_regs.h"));
        String key = BuildCache.hash(List.of("fornax-kernel-iverilog-1", Tools.version(iverilog, "-V"),
                Tools.version(cxx, "--version"), String.join("\u0000", iverilogOptions())), dir, files);
        Path target = BuildCache.root().resolve("iverilog").resolve(key);
        Path vvp = target.resolve("sim.vvp");
        if (Files.isRegularFile(vvp) && Files.isRegularFile(target.resolve(VPI_MODULE + ".vpi"))) {
            return vvp;
        }
        progress.accept(PROGRESS + "compiling the kernel with Icarus Verilog and its VPI harness (" + key + ") ...");
        // KEY.tmp-PID-START next to the entry: removed on failure and on SIGINT/SIGTERM, with the cache
        // directories it created; the stale ones of killed runs are reclaimed first
        try (Scratch scratch = SimRunner.cacheScratch(target)) {
            Path tmp = scratch.path();
            String inc = includeDirOf(vpiTool);
            List<List<String>> steps = List.of(
                    List.of(cc.toString(), "-std=c99", "-O2", "-fPIC", "-Wall", "-Wextra", "-Werror", "-pedantic",
                            "-I" + dir.resolve("driver"), "-c", dir.resolve("driver/fornax_driver.c").toString(), "-o",
                            tmp.resolve("fornax_driver.o").toString()),
                    List.of(cxx.toString(), "-std=c++17", "-O2", "-fPIC", "-I" + inc, "-I" + dir.resolve("tb"),
                            "-I" + dir.resolve("driver"), "-c", dir.resolve("tb").resolve(KernelBenchWriter.VPI).toString(), "-o",
                            tmp.resolve("vpi.o").toString()),
                    List.of(cxx.toString(), "-shared", "-o", tmp.resolve(VPI_MODULE + ".vpi").toString(),
                            tmp.resolve("vpi.o").toString(), tmp.resolve("fornax_driver.o").toString(), "-lvpi", "-pthread"));
            for (List<String> step : steps) {
                Tools.Result r = Tools.run(step, dir, null, true);
                if (r.exitCode() != 0) {
                    BuildCache.deleteTree(tmp);
                    throw new FornaxException("building the Icarus kernel harness failed (" + step.get(0) + "):\n" + r.tail(25));
                }
            }
            List<String> cmd = new ArrayList<>(List.of(iverilog.toString(), "-o", tmp.resolve("sim.vvp").toString()));
            cmd.addAll(iverilogOptions());
            Tools.Result r = Tools.run(cmd, dir, null, true);
            if (r.exitCode() != 0) {
                BuildCache.deleteTree(tmp);
                throw new FornaxException("iverilog compile of the kernel failed (exit " + r.exitCode() + "):\n" + r.tail(25));
            }
            SimRunner.publish(scratch, target);
        }
        return vvp;
    }

    /** The VPI include directory: the -I of `iverilog-vpi --cflags`. */
    private static String includeDirOf(Path vpiTool) {
        for (String line : Tools.run(List.of(vpiTool.toString(), "--cflags"), Path.of("."), null, true).lines()) {
            for (String f : line.trim().split("\\s+")) {
                if (f.startsWith("-I")) {
                    return f.substring(2);
                }
            }
        }
        return "/usr/include/iverilog";
    }

    /** The Verilator options, relative to the design directory (the cache key) or absolute (the build). */
    List<String> verilatorOptions(boolean wave, Path base, Path driverObject) {
        String tb = base == null ? "tb" : base.resolve("tb").toString();
        String drv = base == null ? "driver" : base.resolve("driver").toString();
        List<String> a = new ArrayList<>(List.of("--cc", "--exe", "--build", "-j", "2", "-O3", "--x-assign", "fast",
                "--x-initial", "fast", "--noassert", "-Wno-fatal", "-MAKEFLAGS", "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2",
                "-CFLAGS", "-O2 -std=c++17 -I" + tb + " -I" + drv,
                "-LDFLAGS", driverObject == null ? "fornax_driver.o" : driverObject.toString(),
                "--top-module", design.top(), "--prefix", PREFIX, "-o", PREFIX));
        if (wave) {
            a.add("--trace");
        }
        for (String inc : design.includeDirs()) {
            a.add("-I" + inc);
        }
        a.addAll(design.rtl());
        a.add(base == null ? "tb/" + KernelBenchWriter.HARNESS : base.resolve("tb").resolve(KernelBenchWriter.HARNESS).toString());
        return a;
    }

    /** The driver compiled as the board compiles it: C99, every warning an error. */
    static List<String> driverCompile(Path cc, Path src, Path obj, Path includeDir) {
        return List.of(cc.toString(), "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I" + includeDir,
                "-c", src.toString(), "-o", obj.toString());
    }

    Path build(boolean wave) {
        Path verilator = Tools.require("verilator", "verilator", "to simulate the kernel with Verilator");
        Path cc = Tools.require("gcc", "gcc", "to compile the host driver");
        Tools.require("g++", "g++", "to compile the Verilator model");
        Tools.require("make", "make", "to build the Verilator model");
        if (!Files.isRegularFile(dir.resolve("tb").resolve(KernelBenchWriter.HARNESS))) {
            throw new FornaxException(dir + " has no kernel harness (tb/" + KernelBenchWriter.HARNESS
                    + "); recompile the design with fornax compile");
        }
        List<String> files = new ArrayList<>(design.rtl());
        files.addAll(BuildCache.includeFiles(dir, design.includeDirs()));
        files.addAll(List.of("tb/" + KernelBenchWriter.HARNESS, "tb/" + KernelBenchWriter.BENCH, "tb/" + KernelBenchWriter.MODEL, "tb/" + KernelBenchWriter.CONFIG,
                "driver/fornax_driver.c", "driver/fornax_driver.h", "driver/fornax_regs.h"));
        String key = BuildCache.hash(List.of("fornax-kernel-verilator-1", Tools.version(verilator, "--version"),
                Tools.version(cc, "--version"), String.join("\u0000", verilatorOptions(wave, null, null))), dir, files);
        Path target = BuildCache.root().resolve("verilator").resolve(key);
        Path exe = target.resolve(PREFIX);
        if (Files.isExecutable(exe)) {
            return exe;
        }
        progress.accept(PROGRESS + "building the kernel's Verilator model (" + key + ") ...");
        // as buildIcarus: a Scratch next to the cache entry
        try (Scratch scratch = SimRunner.cacheScratch(target)) {
            Path tmp = scratch.path();
            Path obj = tmp.resolve("fornax_driver.o");
            Tools.Result d = Tools.run(driverCompile(cc, dir.resolve("driver/fornax_driver.c"), obj, dir.resolve("driver")), dir,
                    null, true);
            if (d.exitCode() != 0) {
                BuildCache.deleteTree(tmp);
                throw new FornaxException("the host driver does not compile warning-free (gcc -std=c99 -Wall -Wextra -Werror):\n"
                        + d.tail(25));
            }
            List<String> cmd = new ArrayList<>(List.of(verilator.toString()));
            cmd.addAll(verilatorOptions(wave, dir, obj));
            cmd.add("--Mdir");
            cmd.add(tmp.resolve("obj_dir").toString());
            Tools.Result r = Tools.run(cmd, dir, null, true);
            if (r.exitCode() != 0 || !Files.isExecutable(tmp.resolve("obj_dir").resolve(PREFIX))) {
                BuildCache.deleteTree(tmp);
                throw new FornaxException("Verilator build of the kernel failed (exit " + r.exitCode() + "):\n" + r.tail(25));
            }
            try {
                Files.move(tmp.resolve("obj_dir").resolve(PREFIX), tmp.resolve(PREFIX));
                BuildCache.deleteTree(tmp.resolve("obj_dir"));
            } catch (IOException e) {
                throw new FornaxException("cannot store the kernel model in " + tmp + ": " + e.getMessage(), e);
            }
            SimRunner.publish(scratch, target);
        }
        return exe;
    }
}
