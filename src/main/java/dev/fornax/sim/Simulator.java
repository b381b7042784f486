package dev.fornax.sim;

import dev.fornax.FornaxException;
import java.util.Locale;

/** The two supported simulators, with the executable they need and the Debian package that has it. */
public enum Simulator {
    VERILATOR("verilator", "verilator"),
    IVERILOG("iverilog", "iverilog");

    private final String tool;
    private final String aptPackage;

    Simulator(String tool, String aptPackage) {
        this.tool = tool;
        this.aptPackage = aptPackage;
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
