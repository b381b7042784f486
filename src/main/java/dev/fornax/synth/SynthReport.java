package dev.fornax.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.Scratch;
import dev.fornax.rtl.DesignInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@code fornax synth}: resources, the timing estimate and (iCE40) nextpnr's
 * post-route figure, as the JSON of issue 9 ({@code DIR/synth.json}) and as text.
 *
 * @param timing null for a family without delay figures (iCE40)
 * @param pnr    null unless place and route ran
 */
public record SynthReport(String top, Family family, Synthesis.Cells cells, List<Synthesis.LogicMemory> logicMemories,
        TimingAnalysis.Report timing, Pnr.Result pnr) {

    /** Label of every figure here: an estimate from data-sheet delays, not a sign-off. */
    public static final String NOTE = "estimate from data-sheet cell delays and a fanout-based routing estimate on the"
            + " Yosys netlist; not a sign-off (place and route in Vivado decides)";

    /** Synthesis, timing estimate and (optionally) place and route; the work directory is removed. */
    public static SynthReport run(Path dir, DesignInfo design, Family f, boolean pnr, Path keepNetlist,
            java.util.function.Consumer<String> log) {
        try (Scratch scratch = Scratch.workDirectory("fornax-synth")) { // removed on SIGINT/SIGTERM too
            Path work = scratch.path();
            DesignInfo d = pnr ? Pnr.wrapped(dir, design, work) : design;
            Synthesis.Result r = Synthesis.run(dir, d, f, Map.of(), work, log);
            Netlist nl = Netlist.read(r.netlist());
            TimingAnalysis.Report t = TimingAnalysis.analyse(nl, f.delays != null ? f.delays : Delays.LEVELS);
            Pnr.Result p = pnr ? Pnr.run(r.netlist(), work, log) : null;
            if (keepNetlist != null) {
                Path parent = keepNetlist.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.move(r.netlist(), keepNetlist, StandardCopyOption.REPLACE_EXISTING);
            }
            return new SynthReport(design.top(), f, r.cells(), r.logicMemories(), t, p);
        } catch (IOException e) {
            throw new FornaxException("cannot keep the netlist at " + keepNetlist + ": " + IoErrors.describe(e), e);
        }
    }

    /** Resource classes of the table, in order, with the cell types that count for each family. */
    public Map<String, Long> resources() {
        Map<String, Long> r = new java.util.LinkedHashMap<>();
        if (family.xilinx()) {
            r.put("block_ram_36", cells.count("RAMB36E1") + cells.count("RAMB36E2"));
            r.put("block_ram_18", cells.count("RAMB18E1") + cells.count("RAMB18E2"));
            r.put("block_ram_18_equivalent", cells.ramb18Equivalent());
            r.put("uram", cells.sum("URAM288"));
            r.put("dsp", cells.sum("DSP48"));
            r.put("lut", cells.sum("LUT") + cells.count("INV"));
            r.put("ff", cells.sum("FD"));
            r.put("carry", cells.count("CARRY4") + cells.count("CARRY8"));
            r.put("lutram", cells.sum("RAM32", "RAM64", "RAM128", "RAM256", "RAM512", "SRL"));
            r.put("muxf", cells.sum("MUXF"));
        } else {
            r.put("block_ram", cells.count("SB_RAM40_4K"));
            r.put("spram", cells.count("SB_SPRAM256KA"));
            r.put("dsp", cells.count("SB_MAC16"));
            r.put("lut", cells.count("SB_LUT4"));
            r.put("ff", cells.sum("SB_DFF"));
            r.put("carry", cells.count("SB_CARRY"));
        }
        r.put("latches", cells.latches());
        return r;
    }

    /** The period reported: nextpnr's post-route figure when place and route ran, else the estimate. */
    public Double periodNs() {
        if (pnr != null) {
            return 1000.0 / pnr.fmaxMhz();
        }
        return timing != null && family.delays != null ? timing.periodNs() : null;
    }

    public ObjectNode json() {
        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.put("family", family.key);
        o.put("top", top);
        o.put("note", pnr != null ? "estimated_period_ns is nextpnr-ice40's post-route figure; " + NOTE : NOTE);
        ObjectNode c = o.putObject("cells");
        cells.byType().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> c.put(e.getKey(), e.getValue()));
        ObjectNode res = o.putObject("resources");
        resources().forEach(res::put);
        if (timing != null) {
            o.put("logic_levels_max", timing.levelsMax());
            ObjectNode h = o.putObject("logic_level_histogram");
            timing.histogram().forEach((k, v) -> h.put(Integer.toString(k), v));
        } else {
            o.putNull("logic_levels_max");
            o.putObject("logic_level_histogram");
        }
        Double p = periodNs();
        if (p != null) {
            o.put("estimated_period_ns", round(p));
            o.put("estimated_fmax_mhz", round(1000.0 / p));
        } else {
            o.putNull("estimated_period_ns");
            o.putNull("estimated_fmax_mhz");
        }
        ArrayNode wp = o.putArray("worst_paths");
        ArrayNode io = o.putArray("input_to_output_paths");
        if (timing != null) {
            timing.worstPaths().forEach(x -> wp.add(path(om, x)));
            timing.inputToOutput().forEach(x -> io.add(path(om, x)));
            o.put("timed_endpoints", timing.endpoints());
            o.put("block_ram_output_registers", timing.bramOutputRegisters());
            ArrayNode u = o.putArray("unknown_cell_types");
            timing.unknownCellTypes().forEach(u::add);
        }
        o.put("latches", cells.latches());
        ArrayNode lm = o.putArray("memories_in_logic");
        for (Synthesis.LogicMemory m : logicMemories) {
            ObjectNode x = lm.addObject();
            x.put("name", m.name());
            x.put("words", m.words());
            x.put("width", m.width());
            x.put("clocked_read", m.clockedRead());
        }
        if (pnr != null) {
            ObjectNode n = o.putObject("pnr");
            n.put("tool", "nextpnr-ice40");
            n.put("device", pnr.device());
            n.put("package", pnr.pack());
            n.put("fmax_mhz", round(pnr.fmaxMhz()));
            n.put("wrapper", pnr.wrapper());
            ObjectNode u = n.putObject("utilisation");
            pnr.utilisation().forEach(u::put);
        }
        return o;
    }

    private static ObjectNode path(ObjectMapper om, TimingAnalysis.Path p) {
        ObjectNode o = om.createObjectNode();
        o.put("start", p.start());
        o.put("end", p.end());
        o.put("delay_ns", round(p.delayNs()));
        o.put("levels", p.levels());
        ArrayNode s = o.putArray("steps");
        for (TimingAnalysis.Step st : p.steps()) {
            ObjectNode x = s.addObject();
            x.put("cell_type", st.cellType());
            x.put("cell", st.cell());
            x.put("net", st.net());
            x.put("src", st.src());
            x.put("arrival_ns", round(st.arrivalNs()));
        }
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    public String jsonText() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json()) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The human-readable report: resource table, levels, estimate, worst paths. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("synthesis: Yosys, ").append(family.key).append(", top ").append(top).append(", flattened\n\n");
        b.append("| resource | count |\n|---|---|\n");
        resources().forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        if (timing != null) {
            b.append("\nlogic levels (LUT, MUXF and carry cells, one each) per path end:\n");
            List<String> h = new ArrayList<>();
            timing.histogram().forEach((k, v) -> h.add(k + ": " + v));
            b.append("  ").append(String.join(", ", h)).append("\n");
            b.append("  most: ").append(timing.levelsMax()).append(" over ").append(timing.endpoints()).append(" path ends\n");
        }
        Double p = periodNs();
        if (pnr != null) {
            b.append(String.format(Locale.ROOT, "%nnextpnr-ice40 post-route (%s %s, %s): Fmax %.2f MHz (period %.3f ns)%n",
                    pnr.device(), pnr.pack(), pnr.wrapper(), pnr.fmaxMhz(), p));
        } else if (p != null) {
            b.append(String.format(Locale.ROOT, "%nestimated period %.3f ns (%.1f MHz); %s%n", p, 1000.0 / p, NOTE));
        } else {
            b.append("\nno timing estimate for ").append(family.key).append(" (use --pnr for nextpnr's post-route Fmax)\n");
        }
        if (timing != null && !timing.worstPaths().isEmpty()) {
            b.append("\nworst paths:\n");
            int i = 1;
            for (TimingAnalysis.Path x : timing.worstPaths()) {
                b.append(String.format(Locale.ROOT, "%2d. %.3f ns, %d levels: %s -> %s%n", i++, x.delayNs(), x.levels(), x.start(),
                        x.end()));
                for (TimingAnalysis.Step st : x.steps()) {
                    b.append(String.format(Locale.ROOT, "      %7.3f  %-10s %s%s%n", st.arrivalNs(), st.cellType(), st.net(),
                            st.src().isEmpty() ? "" : "  (" + st.src() + ")"));
                }
            }
        }
        if (timing != null) {
            b.append("\ninput-to-output combinational paths: ").append(timing.inputToOutput().size()).append("\n");
            for (TimingAnalysis.Path x : timing.inputToOutput()) {
                b.append(String.format(Locale.ROOT, "  %s -> %s (%d levels)%n", x.start(), x.end(), x.levels()));
            }
        }
        b.append("latches: ").append(cells.latches()).append("\n");
        if (!logicMemories.isEmpty()) {
            b.append("memories in flip-flops/logic: ");
            List<String> m = new ArrayList<>();
            for (Synthesis.LogicMemory x : logicMemories) {
                m.add(x.name() + " (" + x.words() + " x " + x.width() + ")");
            }
            b.append(String.join(", ", m)).append("\n");
        }
        return b.toString();
    }
}
