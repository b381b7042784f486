package dev.fornax.sim;

import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.Scratch;
import dev.fornax.rtl.DesignInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Yosys on a compiled design (scripts in resources synth/: {@code synth_xilinx} for 7-series,
 * {@code synth_ice40 -dsp}) and reads the cell counts of the final {@code stat}.
 */
public final class Synthesis {
    public enum Target {
        XILINX("xilinx.ys"),
        ICE40("ice40.ys");

        final String script;

        Target(String script) {
            this.script = script;
        }
    }

    /** Cell counts by cell type, as Yosys's stat prints them for the top module. */
    public record Cells(Map<String, Long> byType) {
        public Cells {
            byType = Map.copyOf(byType);
        }

        public long count(String type) {
            return byType.getOrDefault(type, 0L);
        }

        /** Sum over the cell types that start with one of the prefixes. */
        public long sum(String... prefixes) {
            long n = 0;
            for (Map.Entry<String, Long> e : byType.entrySet()) {
                for (String p : prefixes) {
                    if (e.getKey().startsWith(p)) {
                        n += e.getValue();
                        break;
                    }
                }
            }
            return n;
        }

        /** Xilinx: block RAM in RAMB18 units (a RAMB36 is two). */
        public long ramb18Equivalent() {
            return count("RAMB18E1") + 2 * count("RAMB36E1");
        }

        public long latches() {
            return sum("LD", "$_DLATCH", "$_SR_", "$dlatch", "SB_LATCH");
        }
    }

    private Synthesis() {}

    /**
     * @param chparams top-level parameter overrides (may be empty)
     * @param log      receives every Yosys output line (may be null)
     */
    public static Cells run(Path dir, DesignInfo design, Target target, Map<String, String> chparams, Consumer<String> log) {
        Path yosys = Tools.require("yosys", "yosys", "for synthesis");
        try (Scratch scratch = Scratch.workDirectory("fornax-synth")) { // removed on SIGINT/SIGTERM too
            Path work = scratch.path();
            Path stat = work.resolve("stat.txt");
            Path script = work.resolve(target.script);
            Files.writeString(script, script(design, target, chparams, stat));
            Tools.Result r = Tools.run(List.of(yosys.toString(), "-q", "-s", script.toString()), dir, log, true);
            if (r.exitCode() != 0 || !Files.exists(stat)) {
                throw new FornaxException("yosys (" + target.script + ") failed on " + design.top() + " (exit " + r.exitCode()
                        + "):\n" + r.tail(20));
            }
            return parseStat(Files.readString(stat));
        } catch (IOException e) {
            throw new FornaxException("synthesis of " + design.top() + " failed: " + IoErrors.describe(e), e);
        }
    }

    static String script(DesignInfo d, Target target, Map<String, String> chparams, Path stat) {
        StringBuilder inc = new StringBuilder();
        for (String i : d.includeDirs()) {
            inc.append(inc.length() > 0 ? " " : "").append("-I").append(i);
        }
        StringBuilder ch = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(chparams).entrySet()) {
            ch.append("chparam -set ").append(e.getKey()).append(' ').append(e.getValue()).append(' ').append(d.top()).append('\n');
        }
        return TestbenchWriter.resourceAt("/synth/" + target.script)
                .replace("@INCLUDES@", inc.toString())
                .replace("@FILES@", String.join(" ", d.rtlFiles()))
                .replace("@CHPARAMS@", ch.toString())
                .replace("@TOP@", d.top())
                .replace("@STAT@", stat.toString());
    }

    private static final Pattern CELL_LINE = Pattern.compile("^\\s+(\\S+)\\s+(\\d+)\\s*$");

    /** Parses the last "Number of cells" block of a stat report (the top module, flattened). */
    static Cells parseStat(String text) {
        String[] lines = text.split("\n");
        int start = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("Number of cells:")) {
                start = i;
            }
        }
        if (start < 0) {
            throw new FornaxException("yosys stat output has no cell count");
        }
        Map<String, Long> cells = new TreeMap<>();
        for (int i = start + 1; i < lines.length; i++) {
            Matcher m = CELL_LINE.matcher(lines[i]);
            if (!m.matches()) {
                if (lines[i].isBlank() && !cells.isEmpty()) {
                    break;
                }
                continue;
            }
            cells.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return new Cells(cells);
    }

    /** The table of the issue: BRAM, DSP, LUT, FF (and latches). */
    public static String table(Target target, Cells c) {
        List<String> rows = new ArrayList<>();
        if (target == Target.XILINX) {
            rows.add(row("RAMB36E1", c.count("RAMB36E1")));
            rows.add(row("RAMB18E1", c.count("RAMB18E1")));
            rows.add(row("DSP48E1", c.count("DSP48E1")));
            rows.add(row("LUT (LUT1..6)", c.sum("LUT")));
            rows.add(row("FF (FD*)", c.sum("FD")));
            rows.add(row("CARRY4", c.count("CARRY4")));
            rows.add(row("LUTRAM (RAM*M/RAM*S/SRL)", c.sum("RAM32", "RAM64", "RAM128", "RAM256", "SRL")));
        } else {
            rows.add(row("SB_RAM40_4K", c.count("SB_RAM40_4K")));
            rows.add(row("SB_MAC16", c.count("SB_MAC16")));
            rows.add(row("SB_LUT4", c.count("SB_LUT4")));
            rows.add(row("FF (SB_DFF*)", c.sum("SB_DFF")));
            rows.add(row("SB_CARRY", c.count("SB_CARRY")));
        }
        rows.add(row("latches", c.latches()));
        return "| cell | count |\n|---|---|\n" + String.join("\n", rows) + "\n";
    }

    private static String row(String name, long n) {
        return "| " + name + " | " + n + " |";
    }
}
