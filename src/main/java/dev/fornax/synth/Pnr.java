package dev.fornax.synth;

import dev.fornax.FornaxException;
import dev.fornax.rtl.DesignInfo;
import dev.fornax.sim.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real place and route with nextpnr-ice40 on an iCE40 UltraPlus (the iCE40 with DSPs). The core's
 * ports outnumber the package pins, so the design is placed inside a wrapper with four pins: a
 * shift register drives every input of the top from registers, and every output is registered and
 * folded into a shift/XOR chain, one LUT level per bit, so that no logic is optimised away and the
 * wrapper adds no path deeper than one LUT. nextpnr's "Max frequency for clock" is the figure.
 */
public final class Pnr {
    /** nextpnr's post-route figure and the utilisation it printed. */
    public record Result(String device, String pack, double fmaxMhz, String wrapper, Map<String, String> utilisation) {}

    static final String DEVICE = "up5k";
    static final String PACKAGE = "sg48";
    static final String WRAPPER = "fornax_pnr_top";

    private Pnr() {}

    /** A port of the design's top, as declared in its Verilog. */
    record Port(String name, boolean input, int width) {}

    private static final Pattern PORT = Pattern.compile(
            "^\\s*(input|output)\\s+(?:wire|reg)?\\s*(?:signed\\s*)?(?:\\[(\\d+):0\\])?\\s*(\\w+)\\s*,?\\s*(//.*)?$");

    /** The ports of {@code module top} in {@code file} (one declaration per line, as fornax writes them). */
    static List<Port> ports(Path file, String top) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new FornaxException("cannot read " + file + ": " + e.getMessage());
        }
        List<Port> out = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.trim().startsWith("module " + top)) {
                in = true;
                continue;
            }
            if (in && line.trim().startsWith(");")) {
                break;
            }
            Matcher m = PORT.matcher(line);
            if (in && m.matches()) {
                int w = m.group(2) != null ? Integer.parseInt(m.group(2)) + 1 : 1;
                out.add(new Port(m.group(3), m.group(1).equals("input"), w));
            }
        }
        if (out.isEmpty()) {
            throw new FornaxException("found no ports of module " + top + " in " + file);
        }
        return out;
    }

    /** The wrapper module around {@code top} (clk is passed through, every other pin registered). */
    static String wrapper(String top, List<Port> ports) {
        int nin = 0;
        int nout = 0;
        for (Port p : ports) {
            if (p.name().equals("clk")) {
                continue;
            }
            if (p.input()) {
                nin += p.width();
            } else {
                nout += p.width();
            }
        }
        StringBuilder v = new StringBuilder();
        v.append("// Place-and-route wrapper written by fornax synth --pnr: every input of ").append(top)
                .append(" comes from a register\n// of a shift chain, every output is registered and folded into a shift/XOR chain.\n");
        v.append("module ").append(WRAPPER).append(" (input wire clk, input wire din, output wire dout);\n");
        v.append("    reg [").append(Math.max(1, nin) - 1).append(":0] sin;\n");
        v.append("    always @(posedge clk) sin <= {sin, din};\n");
        v.append("    wire [").append(Math.max(1, nout) - 1).append(":0] o;\n");
        v.append("    reg [").append(Math.max(1, nout) - 1).append(":0] oq, fold;\n");
        v.append("    always @(posedge clk) begin\n        oq <= o;\n        fold <= {fold, 1'b0} ^ oq;\n    end\n");
        v.append("    assign dout = fold[").append(Math.max(1, nout) - 1).append("];\n");
        v.append("    ").append(top).append(" dut (\n");
        int i = 0;
        int k = 0;
        List<String> conns = new ArrayList<>();
        for (Port p : ports) {
            if (p.name().equals("clk")) {
                conns.add("        .clk(clk)");
            } else if (p.input()) {
                conns.add("        ." + p.name() + "(sin[" + (i + p.width() - 1) + ":" + i + "])");
                i += p.width();
            } else {
                conns.add("        ." + p.name() + "(o[" + (k + p.width() - 1) + ":" + k + "])");
                k += p.width();
            }
        }
        v.append(String.join(",\n", conns)).append(");\n");
        v.append("endmodule\n");
        return v.toString();
    }

    /** The design with the wrapper (written to {@code work}) as its top. */
    public static DesignInfo wrapped(Path dir, DesignInfo d, Path work) {
        Path topFile = null;
        for (String f : d.rtlFiles()) {
            if (f.endsWith(d.top() + ".v")) {
                topFile = dir.resolve(f);
            }
        }
        if (topFile == null) {
            throw new FornaxException("the design lists no " + d.top() + ".v among its RTL files");
        }
        Path w = work.resolve(WRAPPER + ".v");
        try {
            Files.createDirectories(work);
            Files.writeString(w, wrapper(d.top(), ports(topFile, d.top())));
        } catch (IOException e) {
            throw new FornaxException("cannot write " + w + ": " + e.getMessage());
        }
        List<String> files = new ArrayList<>(d.rtlFiles());
        files.add(w.toAbsolutePath().toString());
        return new DesignInfo(WRAPPER, files, d.includeDirs(), d.tokenWidth(), d.vocab(), d.context(), d.lanes(), d.weights(),
                d.axiDataWidth(), d.axiAddrWidth(), d.dramImage(), d.memFiles());
    }

    private static final Pattern FMAX = Pattern.compile("Max frequency for clock\\s+'([^']+)':\\s+([0-9.]+) MHz");
    private static final Pattern UTIL = Pattern.compile("^Info:\\s+(\\w+):\\s+(\\d+)/\\s*(\\d+)\\s+(\\d+)%\\s*$");

    /** Runs nextpnr-ice40 on a synthesised wrapper netlist. */
    public static Result run(Path netlist, Path work, Consumer<String> log) {
        Path nextpnr = Tools.require("nextpnr-ice40", "nextpnr-ice40", "for --pnr");
        List<String> cmd = List.of(nextpnr.toString(), "--" + DEVICE, "--package", PACKAGE, "--json", netlist.toString(),
                "--asc", work.resolve("design.asc").toString(), "--freq", "12", "--seed", "1", "--pcf-allow-unconstrained");
        Tools.Result r = Tools.run(cmd, work, log, true);
        Map<String, String> util = new LinkedHashMap<>();
        double fmax = -1;
        for (String line : r.lines()) {
            Matcher u = UTIL.matcher(line);
            if (u.matches()) {
                util.put(u.group(1), u.group(2) + "/" + u.group(3));
            }
            Matcher m = FMAX.matcher(line);
            if (m.find()) {
                fmax = Double.parseDouble(m.group(2)); // the last report is the post-route one
            }
        }
        if (r.exitCode() != 0) {
            throw new FornaxException("nextpnr-ice40 could not place and route the design on an iCE40 "
                    + DEVICE.toUpperCase() + " (exit " + r.exitCode() + "):\n" + r.tail(12));
        }
        if (fmax <= 0) {
            throw new FornaxException("nextpnr-ice40 finished but printed no 'Max frequency' line:\n" + r.tail(12));
        }
        return new Result("iCE40" + DEVICE.toUpperCase(), PACKAGE, fmax, WRAPPER, util);
    }
}
