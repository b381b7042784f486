package dev.fornax.synth;

import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.Scratch;
import dev.fornax.rtl.DesignInfo;
import dev.fornax.sim.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs Yosys on a compiled design (scripts in resources synth/: {@code synth_xilinx -flatten} for
 * 7-series and UltraScale+, {@code synth_ice40 -dsp}), reads the cell counts of the final
 * {@code stat} and the memories that were not mapped to a RAM primitive, and leaves the flattened
 * JSON netlist for the timing estimate.
 */
public final class Synthesis {
    /** Cell counts by cell type, as Yosys's stat prints them for the flattened top module. */
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

        /** Xilinx: block RAM in RAMB18 units (a RAMB36 is two), both generations. */
        public long ramb18Equivalent() {
            return count("RAMB18E1") + 2 * count("RAMB36E1") + count("RAMB18E2") + 2 * count("RAMB36E2");
        }

        public long latches() {
            long n = 0;
            for (Map.Entry<String, Long> e : byType.entrySet()) {
                if (CellRules.isLatch(e.getKey())) {
                    n += e.getValue();
                }
            }
            return n;
        }
    }

    /**
     * A memory of the RTL that Yosys implemented in flip-flops and logic instead of a RAM primitive;
     * {@code clockedRead}: it has a registered read port (written as a block RAM would be).
     */
    public record LogicMemory(String name, long words, long width, boolean clockedRead) {
        public long bits() {
            return words * width;
        }
    }

    /** What one run produced; {@code netlist} is the flattened JSON (in the caller's work directory). */
    public record Result(Family family, Cells cells, List<LogicMemory> logicMemories, Path netlist) {}

    private Synthesis() {}

    /** How to install Yosys, for the missing-tool message. */
    static final String YOSYS_HINT = "yosys";

    /**
     * Synthesises {@code design} (files relative to {@code dir}) for {@code family}; the netlist and
     * Yosys's intermediate files go to {@code work}.
     *
     * @param chparams top-level parameter overrides (may be empty)
     * @param log      receives every Yosys output line (may be null)
     */
    public static Result run(Path dir, DesignInfo design, Family family, Map<String, String> chparams, Path work,
            Consumer<String> log) {
        Path yosys = Tools.require("yosys", YOSYS_HINT, "for synthesis");
        try {
            Files.createDirectories(work);
            Path stat = work.resolve("stat.txt");
            Path mems = work.resolve("memories.il");
            Path json = work.resolve("netlist.json");
            Path script = work.resolve(family.script);
            Files.writeString(script, script(design, family, chparams, stat, mems, json));
            Tools.Result r = Tools.run(List.of(yosys.toString(), "-q", "-s", script.toString()), dir, log, true);
            if (r.exitCode() != 0 || !Files.exists(stat) || !Files.exists(json)) {
                throw new FornaxException("yosys (" + family.script + ", " + family.key + ") failed on " + design.top() + " in "
                        + dir + " (exit " + r.exitCode() + "):\n" + r.tail(20));
            }
            List<LogicMemory> logic = Files.exists(mems) ? parseMemories(Files.readString(mems)) : List.of();
            return new Result(family, parseStat(Files.readString(stat)), logic, json);
        } catch (IOException e) {
            throw new FornaxException("synthesis of " + design.top() + " failed: " + IoErrors.describe(e), e);
        }
    }

    /** Convenience for tests: synthesise into a temporary directory, keep only the cell counts. */
    public static Cells cells(Path dir, DesignInfo design, Family family, Map<String, String> chparams, Consumer<String> log) {
        try (Scratch scratch = Scratch.workDirectory("fornax-synth")) { // removed on SIGINT/SIGTERM too
            return run(dir, design, family, chparams, scratch.path(), log).cells();
        }
    }

    static String script(DesignInfo d, Family family, Map<String, String> chparams, Path stat, Path mems, Path json) {
        StringBuilder inc = new StringBuilder();
        for (String i : d.includeDirs()) {
            inc.append(inc.length() > 0 ? " " : "").append("-I").append(i);
        }
        StringBuilder ch = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(chparams).entrySet()) {
            ch.append("chparam -set ").append(e.getKey()).append(' ').append(e.getValue()).append(' ').append(d.top()).append('\n');
        }
        return resource("/synth/" + family.script)
                .replace("@INCLUDES@", inc.toString())
                .replace("@FILES@", String.join(" ", d.rtlFiles()))
                .replace("@CHPARAMS@", ch.toString())
                .replace("@TOP@", d.top())
                .replace("@FAMILY@", family.key)
                .replace("@STAT@", stat.toString())
                .replace("@MEMS@", mems.toString())
                .replace("@JSON@", json.toString());
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

    private static final Pattern MEM_CELL = Pattern.compile("^\\s*cell \\$mem_v2 (\\S+)\\s*$");
    private static final Pattern MEM_PARAM = Pattern.compile("^\\s*parameter \\\\(SIZE|WIDTH|MEMID|RD_CLK_ENABLE) (.+)$");

    /** The {@code $mem_v2} cells of an RTLIL dump: name (MEMID), words, width. */
    static List<LogicMemory> parseMemories(String rtlil) {
        List<LogicMemory> out = new ArrayList<>();
        String name = null;
        String memid = null;
        long size = -1;
        long width = -1;
        boolean clocked = false;
        for (String line : (rtlil + "\n  end\n").split("\n")) {
            Matcher c = MEM_CELL.matcher(line);
            if (c.matches()) {
                name = c.group(1);
                memid = null;
                size = -1;
                width = -1;
                clocked = false;
                continue;
            }
            Matcher p = MEM_PARAM.matcher(line);
            if (name != null && p.matches()) {
                String v = p.group(2).trim();
                switch (p.group(1)) {
                    case "SIZE" -> size = constant(v);
                    case "WIDTH" -> width = constant(v);
                    case "RD_CLK_ENABLE" -> clocked = v.substring(v.indexOf('\'') + 1).contains("1");
                    default -> memid = v.replace("\"", "").replace("\\\\", "").replace("\\", "");
                }
                continue;
            }
            if (name != null && line.trim().equals("end")) {
                String n = memid != null ? memid : name.replace("\\", "");
                out.add(new LogicMemory(n, Math.max(0, size), Math.max(0, width), clocked));
                name = null;
            }
        }
        out.sort(Comparator.comparing(LogicMemory::name));
        return List.copyOf(out);
    }

    /** An RTLIL constant: decimal, or {@code N'bits}. */
    private static long constant(String v) {
        int q = v.indexOf('\'');
        try {
            if (q >= 0) {
                String bits = v.substring(q + 1);
                return bits.chars().allMatch(ch -> ch == '0' || ch == '1') && bits.length() < 63 ? Long.parseLong(bits, 2) : -1;
            }
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String resource(String path) {
        try (InputStream in = Synthesis.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path, e);
        }
    }
}
