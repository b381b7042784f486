package dev.fornax.sim;

import dev.fornax.rtl.DesignInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator command lines, in one place: the generated Makefile and {@link SimRunner} both use
 * these, so an engineer's {@code make sim} builds the same model that {@code fornax verify} ran.
 * Paths are relative to the compile output directory.
 */
final class HarnessFlags {
    /** The Verilated model's class and binary name, fixed so the C++ harness does not depend on the top's name. */
    static final String PREFIX = "Vfornax_dut";
    static final String HARNESS_CPP = "tb/fornax_harness.cpp";
    static final String TESTBENCH_V = "tb/fornax_tb.v";
    static final String TB_TOP = "fornax_tb";
    /** How many AXI read bursts the memory model accepts before it lowers arready. */
    static final int AXI_MAX_OUTSTANDING = 32;
    /** Port i's region sits at the harness's base address + i·2^36 (any 4 KB-aligned address would do). */
    static final int AXI_PORT_STRIDE_LOG2 = 36;
    /** Verilog define under which the RTL prints its per-op vectors ({@link OpTrace}). */
    static final String TRACE_DEFINE = "FORNAX_TRACE";

    private HarnessFlags() {}

    /**
     * Verilator build options. -O3 and OPT_FAST=-O2 (Verilator's default -Os is 1.3–1.5× slower) and
     * one thread: FIELD-NOTES §4 measured --threads 2 as 4–14× slower on this 2-core machine.
     * Warnings do not stop the simulation build: lint is its own gate ({@link #lint}). The harness
     * path must be absolute: Verilator's generated make runs inside the object directory.
     */
    static List<String> verilatorBuild(DesignInfo design, boolean wave, boolean opTrace, String harnessCpp) {
        List<String> a = new ArrayList<>(List.of(
                "--cc", "--exe", "--build", "-j", "2",
                "-O3", "--x-assign", "fast", "--x-initial", "fast", "--noassert", "-Wno-fatal",
                "-MAKEFLAGS", "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2",
                "-CFLAGS", "-O2",
                "--top-module", design.top(), "--prefix", PREFIX, "-o", PREFIX));
        if (wave) {
            a.add("--trace");
        }
        if (opTrace) {
            a.add("+define+" + TRACE_DEFINE);
        }
        for (String inc : design.includeDirs()) {
            a.add("-I" + inc);
        }
        a.addAll(design.rtlFiles());
        a.add(harnessCpp);
        return a;
    }

    /** {@code verilator --lint-only -Wall} over the design alone (the harness is C++). */
    static List<String> lint(DesignInfo design) {
        List<String> a = new ArrayList<>(List.of("--lint-only", "-Wall", "--top-module", design.top()));
        for (String inc : design.includeDirs()) {
            a.add("-I" + inc);
        }
        a.addAll(design.rtlFiles());
        return a;
    }

    /** iverilog options: Verilog-2005, the testbench as root, the generated config header from tb/. */
    static List<String> iverilog(DesignInfo design, boolean opTrace) {
        List<String> a = new ArrayList<>(List.of("-g2005", "-s", TB_TOP, "-I", "tb"));
        if (opTrace) {
            a.add("-D" + TRACE_DEFINE);
        }
        for (String inc : design.includeDirs()) {
            a.add("-I");
            a.add(inc);
        }
        a.add(TESTBENCH_V);
        a.addAll(design.rtlFiles());
        return a;
    }
}
