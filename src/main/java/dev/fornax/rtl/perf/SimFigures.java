package dev.fornax.rtl.perf;

import dev.fornax.FornaxException;
import dev.fornax.ir.ModelSpec;
import dev.fornax.sim.SimResultFile;
import dev.fornax.sim.SimResults;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Per-position figures of a simulation, for bench/verilator.sh: the cycles the harness counted
 * against the ideal MACs/LANES and, for a dram design, against the cycles its AXI port needs for
 * the weight bytes ({@link PerformanceModel#axiBoundCyclesPerToken()}); and the AXI data beats it
 * delivered against the beats the port could have delivered (one per cycle), over the whole
 * position and over its matrix phases alone (the cycles in which the design's {@code perf_matrix}
 * output was high, and the beats delivered in them).
 */
@Command(name = "SimFigures", mixinStandardHelpOptions = true,
        description = "Cycles vs MACs/LANES and AXI utilisation per position of a results.bin (docs/SIMULATION.md).")
public final class SimFigures implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the model the design was compiled from")
    Path model;

    @Parameters(index = "1", paramLabel = "RESULTS", description = "the harness's result file")
    Path results;

    @Option(names = "--lanes", required = true, description = "the design's lanes")
    int lanes;

    @Option(names = "--axi-width", defaultValue = "0",
            description = "the design's AXI data width in bits per port for a dram design (default: rom, no AXI)")
    int axiWidth;

    @Option(names = "--axi-ports", defaultValue = "1", description = "the design's AXI read ports (default 1)")
    int axiPorts;

    /**
     * One position's figures.
     *
     * @param axiBound      the cycles the AXI ports need for the position's weight bytes as laid out (0 for rom designs)
     * @param unpaddedBound max(MACs/LANES, the weight bytes without row padding ÷ the ports' bytes per cycle): the
     *                      issue's bound
     * @param neededBytes   the weight and constant bytes the token needs, without row padding (0 for rom designs)
     * @param beatBytes     bytes per AXI beat (0 for rom designs)
     */
    public record Row(int sequence, int position, long cycles, long macs, double ideal, double axiBound, long axiBeats,
            long matrixCycles, long matrixBeats, int ports, double unpaddedBound, long neededBytes, int beatBytes) {
        /** Cycles ÷ max(MACs/LANES, unpadded bytes ÷ ports' bytes per cycle). */
        public double overUnpaddedBound() {
            return cycles / Math.max(ideal, unpaddedBound);
        }

        /** Bytes the ports delivered ÷ the bytes the token needs: 1 when no padding is fetched. */
        public double fetchedOverNeeded() {
            return neededBytes == 0 ? Double.NaN : axiBeats * (double) beatBytes / neededBytes;
        }

        public double overIdeal() {
            return cycles / ideal;
        }

        /** Cycles ÷ the better of the two bounds a one-port core has: MACs/LANES and the AXI port. */
        public double overBound() {
            return cycles / Math.max(ideal, axiBound);
        }

        /** Beats delivered ÷ beats the ports could deliver (one per port per cycle) over the position. */
        public double axiUtilisation() {
            return axiBeats / (double) cycles / ports;
        }

        /** The same during the position's matrix phases only; NaN when none was counted. */
        public double axiMatrixUtilisation() {
            return matrixCycles == 0 ? Double.NaN : matrixBeats / (double) matrixCycles / ports;
        }
    }

    /** @param axiWidth the AXI data width of a dram design, 0 for a rom design */
    public static List<Row> rows(ModelSpec spec, int lanes, int axiWidth, List<SimResults.Position> positions) {
        return rows(spec, lanes, axiWidth, 1, positions);
    }

    /** @param axiPorts the design's read ports (the AXI-bound cycles are over all of them) */
    public static List<Row> rows(ModelSpec spec, int lanes, int axiWidth, int axiPorts, List<SimResults.Position> positions) {
        List<Row> rows = new ArrayList<>();
        for (SimResults.Position p : positions) {
            long macs = Macs.perToken(spec, p.position());
            double axiBound = 0;
            double unpadded = macs / (double) lanes;
            long needed = 0;
            if (axiWidth > 0) {
                PerformanceModel m = new PerformanceModel(spec, lanes, PerformanceModel.Placement.DRAM,
                        PerformanceModel.Placement.ON_CHIP, p.position() + 1, p.position(), axiWidth, axiPorts, 1,
                        "simulated");
                axiBound = m.axiBoundCyclesPerToken();
                unpadded = m.unpaddedBoundCyclesPerToken();
                needed = m.weightBytesPerToken();
            }
            rows.add(new Row(p.sequence(), p.position(), p.cycles(), macs, macs / (double) lanes, axiBound,
                    p.axiBeats(), p.matrixCycles(), p.matrixBeats(), axiPorts, unpadded, needed, axiWidth / 8));
        }
        return rows;
    }

    /** Tables longer than this show their first and last {@link #SHOWN_AT_EACH_END} rows. */
    static final int MAX_ROWS = 12;
    static final int SHOWN_AT_EACH_END = 5;

    /**
     * A Markdown table, one row per position (the middle elided past {@link #MAX_ROWS}) and a mean
     * row over all positions. The AXI columns appear only when the design fetched anything (dram).
     */
    public static List<String> markdown(List<Row> rows) {
        boolean axi = rows.stream().anyMatch(r -> r.axiBound() > 0 || r.axiBeats() > 0);
        List<String> out = new ArrayList<>();
        out.add("| seq | pos | cycles | MACs | MACs/LANES | cycles ÷ ideal |"
                + (axi ? " AXI-bound cycles | cycles ÷ max(ideal, AXI-bound) | cycles ÷ max(ideal, unpadded bytes ÷ ports)"
                        + " | AXI beats | port utilisation (all phases) | matrix-phase cycles | port utilisation in matrix phases"
                        + " | fetched ÷ needed bytes |" : ""));
        out.add("|---|---|---|---|---|---|" + (axi ? "---|---|---|---|---|---|---|---|" : ""));
        double sumRatio = 0;
        double sumBound = 0;
        double sumTarget = 0;
        double sumUtil = 0;
        double sumMatrixUtil = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sumRatio += r.overIdeal();
            sumBound += r.overBound();
            sumTarget += r.overUnpaddedBound();
            sumUtil += r.axiUtilisation();
            sumMatrixUtil += r.axiMatrixUtilisation();
            boolean shown = rows.size() <= MAX_ROWS || i < SHOWN_AT_EACH_END || i >= rows.size() - SHOWN_AT_EACH_END;
            if (shown) {
                out.add(String.format(Locale.ROOT, "| %d | %d | %,d | %,d | %,.0f | %.3f |", r.sequence(), r.position(),
                        r.cycles(), r.macs(), r.ideal(), r.overIdeal())
                        + (axi ? String.format(Locale.ROOT, " %,.0f | %.3f | %.3f | %,d | %.3f | %,d | %s | %s |", r.axiBound(),
                                r.overBound(), r.overUnpaddedBound(), r.axiBeats(), r.axiUtilisation(), r.matrixCycles(),
                                ratio(r.axiMatrixUtilisation()), ratio(r.fetchedOverNeeded())) : ""));
            } else if (i == SHOWN_AT_EACH_END) {
                int hidden = rows.size() - 2 * SHOWN_AT_EACH_END;
                out.add("| … | " + hidden + " more positions | | | | |" + (axi ? " | | | | | | | |" : ""));
            }
        }
        if (!rows.isEmpty()) {
            out.add(String.format(Locale.ROOT, "| mean of %d | | | | | %.3f |", rows.size(), sumRatio / rows.size())
                    + (axi ? String.format(Locale.ROOT, " | %.3f | %.3f | | %.3f | | %s | |", sumBound / rows.size(),
                            sumTarget / rows.size(), sumUtil / rows.size(), ratio(sumMatrixUtil / rows.size())) : ""));
        }
        return out;
    }

    /** Three decimals, or "n/a" for a figure the result file did not allow (no matrix-phase count). */
    private static String ratio(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new SimFigures());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            System.err.println("fornax: " + (ex instanceof FornaxException ? ex.getMessage() : ex.toString()));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        SimResultFile.Contents c = SimResultFile.read(results);
        if (!c.ended()) {
            throw new FornaxException(results + " has no end record: the simulation did not finish");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        markdown(rows(PerformanceReport.readSpec(model), lanes, axiWidth, axiPorts, c.positions())).forEach(out::println);
        return 0;
    }
}
