package dev.fornax.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.rtl.perf.Board;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fornax boards [--json]}: the board presets {@code compile --board NAME} accepts. */
@Command(
        name = "boards",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the board presets of compile --board: device, default clock, memory",
            "banks and the AXI ports the fabric reaches them through, and the device's",
            "LUT, flip-flop, DSP, block RAM and UltraRAM counts."
        })
final class BoardsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print one JSON array (with --fit: one object)")
    boolean json;

    @Option(names = "--fit", paramLabel = "DIR",
            description = "whether a compiled design fits its board (compile --board), with the numbers of"
                    + " fornax synth DIR when DIR/synth.json exists")
    java.nio.file.Path fit;

    @Option(names = "--board", paramLabel = "NAME", description = "with --fit: another board than the design's")
    String boardName;

    @Override
    public Integer call() throws Exception {
        PrintStream out = Utf8Out.stdout();
        if (fit != null) {
            return fit(out);
        }
        if (boardName != null) {
            throw new dev.fornax.FornaxException("--board applies to --fit only");
        }
        if (json) {
            List<Map<String, Object>> all = new ArrayList<>();
            Board.PRESETS.forEach(b -> all.add(b.toJson()));
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            out.println(new ObjectMapper().writer(pp).writeValueAsString(all));
        } else {
            lines().forEach(out::println);
        }
        out.flush();
        return 0;
    }

    private int fit(PrintStream out) throws Exception {
        ObjectMapper om = new ObjectMapper();
        java.nio.file.Path mf = fit.resolve("manifest.json");
        if (!java.nio.file.Files.isRegularFile(mf)) {
            throw new dev.fornax.FornaxException(fit + " is not a compiled design: " + mf + " is missing");
        }
        com.fasterxml.jackson.databind.JsonNode m = om.readTree(mf.toFile());
        com.fasterxml.jackson.databind.JsonNode vendor = m.path("vendor");
        String id = boardName != null ? boardName : vendor.path("board").asText(null);
        if (id == null) {
            throw new dev.fornax.FornaxException(fit + " was compiled without --board; name one with --board NAME");
        }
        Board b = Board.byId(id);
        double clock = boardName != null ? b.clockHz() : vendor.path("clock_hz").asDouble(b.clockHz());
        Map<String, Object> r = new java.util.TreeMap<>();
        r.put("board", b.id());
        r.put("part", b.part());
        if (vendor.has("fit") && boardName == null) {
            r.put("analytic", om.convertValue(vendor.path("fit"), Map.class));
        }
        java.nio.file.Path sj = fit.resolve("synth.json");
        if (java.nio.file.Files.isRegularFile(sj)) {
            r.put("synthesis", dev.fornax.vendor.BoardPlan.synthFit(b, clock, om.readTree(sj.toFile())));
        } else {
            r.put("synthesis", null);
        }
        if (json) {
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            out.printf("%s (%s), clock %.0f MHz%n", b.name(), b.part(), clock / 1e6);
            if (r.get("analytic") != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> a = (Map<String, Object>) r.get("analytic");
                dev.fornax.vendor.BoardPlan.fitLines(b, a).forEach(out::println);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) r.get("synthesis");
            if (s == null) {
                out.println("no synthesis yet: fornax synth " + fit + " --family " + (b.synthFamily() == null ? "xcup"
                        : b.synthFamily()) + " writes synth.json");
            } else {
                Board.Resources c = b.resources();
                out.printf(Locale.ROOT, "synthesis (%s): LUT %,d of %,d, FF %,d of %,d, DSP %,d of %,d, block RAM %.1f of %,d,"
                                + " UltraRAM %,d of %,d: %s%n", s.get("family"), s.get("luts"), c.luts(), s.get("ffs"),
                        c.ffs(), s.get("dsps"), c.dsps(), s.get("block_rams"), c.bramBlocks(),
                        s.get("urams"), c.uramBlocks(), Boolean.TRUE.equals(s.get("fits_resources")) ? "fits" : "DOES NOT FIT");
                if (s.containsKey("estimated_period_ns")) {
                    out.printf(Locale.ROOT, "estimated period %.3f ns against %.3f ns: %s (an estimate before place and route)%n",
                            s.get("estimated_period_ns"), s.get("clock_period_ns"),
                            Boolean.TRUE.equals(s.get("meets_clock_estimate")) ? "meets" : "misses");
                }
            }
        }
        out.flush();
        return 0;
    }

    /** One aligned row per board, then one line per board with its memory banks and ports. */
    static List<String> lines() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"board", "name", "part", "clock", "LUT", "FF", "DSP", "BRAM", "URAM", "memory"});
        for (Board b : Board.PRESETS) {
            Board.Resources r = b.resources();
            rows.add(new String[] {
                b.id(), b.name(), b.part(), String.format(Locale.ROOT, "%.0f MHz", b.clockHz() / 1e6),
                String.format(Locale.ROOT, "%,d %s", r.luts(), r.lutKind()), String.format(Locale.ROOT, "%,d", r.ffs()),
                String.format(Locale.ROOT, "%,d", r.dsps()), blocks(r.bramBlocks(), r.bramBlockBits()),
                r.uramBlocks() == 0 ? "-" : blocks(r.uramBlocks(), r.uramBlockBits()),
                b.dramBytes() == 0 ? b.memory() : b.memory() + ", " + size(b.dramBytes())
            });
        }
        List<String> out = align(rows);
        out.add("");
        for (Board b : Board.PRESETS) {
            StringBuilder s = new StringBuilder(b.id()).append(": ");
            if (b.banks().isEmpty()) {
                s.append("no external memory");
            }
            for (Board.Bank k : b.banks()) {
                s.append(String.format(Locale.ROOT, "%d x %s, %d-bit at %.2f MHz%s, %s each (%.3f GB/s each)",
                        k.count(), k.kind(), k.widthBits(), k.clockHz() / 1e6, k.transfersPerClock() == 2 ? " DDR" : "",
                        size(k.bytes()), k.bytesPerSec() / 1e9));
            }
            for (Board.Port p : b.ports()) {
                s.append(String.format(Locale.ROOT, "; through %d x %s (%s...), %d-bit at %.2f MHz", p.count(), p.kind(),
                        p.name(0), p.widthBits(), p.clockHz() / 1e6));
            }
            if (!b.banks().isEmpty() && b.ports().isEmpty()) {
                s.append("; not reachable from a Fornax design (weights stay on chip)");
            }
            s.append(b.platform() != null && b.flow() == Board.Flow.ALVEO ? "; Vitis platform " + b.platform() : "");
            out.add(s.toString());
        }
        out.add("");
        out.add("clocks are assumed defaults (override with compile --clock-mhz), bandwidths data-sheet peaks;"
                + " sources: fornax boards --json, docs/HARDWARE.md");
        return out;
    }

    private static String blocks(long n, long bits) {
        return String.format(Locale.ROOT, "%,d x %d Kb", n, bits / 1024);
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        return (bytes >> 20) + " MiB";
    }

    private static List<String> align(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(r[i]).append(" ".repeat(width[i] - r[i].length()));
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }
}
