package dev.fornax.sim;

import dev.fornax.FornaxException;
import java.util.List;
import java.util.Locale;

/** The two supported simulators, with the executable they need and the Debian package that has it. */
public enum Simulator {
    VERILATOR("verilator", "verilator", List.of("verilator", "g++", "make")),
    IVERILOG("iverilog", "iverilog", List.of("iverilog", "vvp"));

    private final String tool;
    private final String aptPackage;
    private final List<String> toolchain;

    Simulator(String tool, String aptPackage, List<String> toolchain) {
        this.tool = tool;
        this.aptPackage = aptPackage;
        this.toolchain = toolchain;
    }

    /** Every executable a simulation with this simulator runs (the build's compiler and make included). */
    public List<String> toolchain() {
        return toolchain;
    }

    /** The executables of {@link #toolchain()} that are not on PATH, in that order. */
    public List<String> missingTools() {
        return toolchain.stream().filter(t -> Tools.find(t) == null).toList();
    }

    public String tool() {
        return tool;
    }

    public String aptPackage() {
        return aptPackage;
    }

    /** Lower-case name as the CLI and the JSON output spell it. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Simulator parse(String name) {
        for (Simulator s : values()) {
            if (s.cliName().equals(name)) {
                return s;
            }
        }
        throw new FornaxException("--sim: unknown simulator '" + name + "' (use verilator or iverilog)");
    }
}
