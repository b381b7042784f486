package dev.fornax.synth;

import dev.fornax.FornaxException;
import dev.fornax.synth.Netlist.Cell;
import dev.fornax.synth.Netlist.Pin;
import dev.fornax.synth.Netlist.Port;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A static timing estimate of a flattened, technology-mapped netlist: arrival times propagate
 * from every path start (register clock-to-out, block RAM and DSP outputs, top-level inputs) through
 * the combinational cells to every path end (register, block RAM and DSP inputs, top-level
 * outputs). Top-level ports are timed as if a register sat on the other side (the core sits behind
 * register slices or the kernel's registers), so an input-to-output path is a path like any other
 * and is also listed on its own. Logic levels count LUTs, wide muxes and carry cells, one each, as
 * Vivado's logic-level report does.
 */
public final class TimingAnalysis {
    /** One step of a reported path: the cell passed (or the start/end), its output net, arrival. */
    public record Step(String cellType, String cell, String net, String src, double arrivalNs) {}

    /** A path from a start to an end with its delay (including the end's setup) and logic levels. */
    public record Path(String start, String end, double delayNs, int levels, List<Step> steps) {}

    /** The estimate; {@code periodNs} is the longest path, {@code histogram} counts path ends by logic levels. */
    public record Report(double periodNs, int levelsMax, SortedMap<Integer, Integer> histogram, List<Path> worstPaths,
            List<Path> inputToOutput, int endpoints, int bramOutputRegisters, Set<String> unknownCellTypes) {}

    private static final double NONE = Double.NEGATIVE_INFINITY;

    private final Netlist nl;
    private final Delays d;
    private final CellRules rules;
    private final int nbits;
    // net structure
    private final int[] driverCell;      // -1: none / port
    private final String[] driverPin;
    private final int[] fanout;
    private final int[] loadCount;
    // arcs (CSR by source bit after build)
    private int narcs;
    private int[] arcFrom = new int[1 << 16];
    private int[] arcTo = new int[1 << 16];
    private int[] arcCell = new int[1 << 16];
    private float[] arcDelay = new float[1 << 16];
    private boolean[] arcLevel = new boolean[1 << 16];
    // path starts and ends
    private final double[] startAt;
    private final boolean[] inputPort;
    private final List<End> ends = new ArrayList<>();
    private final List<Path> internal = new ArrayList<>();
    private final Set<String> unknown = new TreeSet<>();
    private int bramRegs;

    private record End(int bit, int cell, String pin, double setup, String port) {}

    private TimingAnalysis(Netlist nl, Delays d) {
        this.nl = nl;
        this.d = d;
        this.rules = new CellRules(d);
        int max = 0;
        for (Cell c : nl.cells()) {
            for (Pin p : c.pins()) {
                for (int b : p.bits()) {
                    max = Math.max(max, b);
                }
            }
        }
        for (Port p : nl.ports()) {
            for (int b : p.bits()) {
                max = Math.max(max, b);
            }
        }
        nbits = max + 1;
        driverCell = new int[nbits];
        driverPin = new String[nbits];
        fanout = new int[nbits];
        loadCount = new int[nbits];
        startAt = new double[nbits];
        inputPort = new boolean[nbits];
        Arrays.fill(driverCell, -1);
        Arrays.fill(startAt, NONE);
    }

    public static Report analyse(Netlist nl, Delays d) {
        return analyse(nl, d, 10);
    }

    /** The estimate with the {@code n} worst paths (distinct start and end registers). */
    public static Report analyse(Netlist nl, Delays d, int n) {
        TimingAnalysis t = new TimingAnalysis(nl, d);
        t.worstCount = n;
        t.build();
        return t.propagate();
    }

    private int worstCount = 10;

    private void build() {
        List<Cell> cells = nl.cells();
        for (int ci = 0; ci < cells.size(); ci++) {
            for (Pin p : cells.get(ci).pins()) {
                for (int b : p.bits()) {
                    if (b < 0) {
                        continue;
                    }
                    if (p.output()) {
                        driverCell[b] = ci;
                        driverPin[b] = p.name();
                    } else {
                        fanout[b]++;
                    }
                }
            }
        }
        for (Port p : nl.ports()) {
            for (int b : p.bits()) {
                if (b >= 0 && !p.input()) {
                    fanout[b]++;
                }
            }
        }
        Set<Integer> absorbed = bramOutputRegisters();
        for (int ci = 0; ci < cells.size(); ci++) {
            Cell c = cells.get(ci);
            if (!rules.known(c.type())) {
                unknown.add(c.type());
            }
            final int cell = ci;
            boolean reg = absorbed.contains(ci);
            java.util.Map<Integer, String> pins = inputPins(c);
            rules.visit(c, new CellRules.Sink() {
                @Override
                public void arc(int in, int out, double delay, boolean level) {
                    if (in >= 0 && out >= 0) {
                        addArc(in, out, cell, delay + netDelay(in, c, pins.get(in)), level);
                    }
                }

                @Override
                public void start(int out, double clockToOut) {
                    if (out >= 0) {
                        double tco = reg ? d.bramClockToOutReg() : clockToOut;
                        startAt[out] = Math.max(startAt[out], tco);
                    }
                }

                @Override
                public void end(int in, double setup) {
                    if (in < 0) {
                        return;
                    }
                    if (reg && "D".equals(pins.get(in))) {
                        return; // the block RAM's own output register: the RAM-to-register hop is inside
                    }
                    ends.add(new End(in, cell, pins.get(in), setup, null));
                }

                @Override
                public void internal(double delay, String what) {
                    internal.add(new Path(c.name(), c.name(), delay, 0,
                            List.of(new Step(c.type(), c.name(), what, c.src(), delay))));
                }
            });
        }
        for (Port p : nl.ports()) {
            for (int i = 0; i < p.bits().length; i++) {
                int b = p.bits()[i];
                if (b < 0) {
                    continue;
                }
                String name = p.bits().length == 1 ? p.name() : p.name() + "[" + i + "]";
                if (p.input()) {
                    inputPort[b] = true;
                    startAt[b] = Math.max(startAt[b], d.ffClockToQ());
                } else {
                    ends.add(new End(b, -1, null, d.ffSetupD(), name));
                }
            }
        }
    }

    private static java.util.Map<Integer, String> inputPins(Cell c) {
        java.util.Map<Integer, String> m = new java.util.HashMap<>();
        for (Pin p : c.pins()) {
            if (!p.output()) {
                for (int b : p.bits()) {
                    m.putIfAbsent(b, p.name());
                }
            }
        }
        return m;
    }

    /**
     * Block RAM ports whose every used output bit feeds exactly one flip-flop's D: the register
     * Vivado absorbs into the RAM (DOA_REG/DOB_REG = 1; Yosys 0.23 leaves it in the fabric). Those
     * flip-flops start their paths with the RAM register's clock-to-out. Returns their cell indices.
     */
    private Set<Integer> bramOutputRegisters() {
        List<Cell> cells = nl.cells();
        int[] loadCell = new int[nbits];
        Arrays.fill(loadCell, -1);
        boolean[] multi = new boolean[nbits];
        for (int ci = 0; ci < cells.size(); ci++) {
            for (Pin p : cells.get(ci).pins()) {
                if (p.output()) {
                    continue;
                }
                for (int b : p.bits()) {
                    if (b < 0) {
                        continue;
                    }
                    boolean ffD = CellRules.isFlipFlop(cells.get(ci).type()) && p.name().equals("D");
                    if (loadCell[b] != -1 || !ffD) {
                        multi[b] = true;
                    }
                    loadCell[b] = ci;
                }
            }
        }
        for (Port p : nl.ports()) {
            for (int b : p.bits()) {
                if (b >= 0 && !p.input()) {
                    multi[b] = true;
                }
            }
        }
        Set<Integer> out = new HashSet<>();
        for (Cell c : cells) {
            if (!(c.type().startsWith("RAMB18") || c.type().startsWith("RAMB36"))) {
                continue;
            }
            for (String port : new String[] {"A", "B"}) {
                if (c.param("DO" + port + "_REG", 0) != 0) {
                    continue;
                }
                List<Integer> ffs = new ArrayList<>();
                boolean ok = true;
                for (Pin p : c.pins()) {
                    String n = p.name();
                    boolean mine = n.startsWith("DO" + port) || n.startsWith("DOP" + port) || n.startsWith("DOUT" + port)
                            || n.startsWith("DOUTP" + port);
                    if (!p.output() || !mine) {
                        continue;
                    }
                    for (int b : p.bits()) {
                        if (b < 0 || fanout[b] == 0) {
                            continue;
                        }
                        if (multi[b] || loadCell[b] < 0) {
                            ok = false;
                        } else {
                            ffs.add(loadCell[b]);
                        }
                    }
                }
                if (ok && !ffs.isEmpty()) {
                    out.addAll(ffs);
                    bramRegs++;
                }
            }
        }
        return out;
    }

    /** Routing delay from the driver of {@code bit} to an input of cell {@code load}. */
    private double netDelay(int bit, Cell loadCell, String loadPin) {
        int dc = driverCell[bit];
        if (dc >= 0) {
            String dt = nl.cells().get(dc).type();
            String lt = loadCell.type();
            String dp = driverPin[bit];
            String lp = loadPin == null ? "?" : loadPin;
            if (CellRules.isCarry(dt) && CellRules.isCarry(lt) && dp.startsWith("CO") && lp.startsWith("CI")) {
                return 0;
            }
            if ((dt.startsWith("LUT") || dt.equals("SB_LUT4")) && fanout[bit] == 1
                    && ((CellRules.isCarry(lt) && (lp.equals("S") || lp.equals("DI") || lp.startsWith("I")))
                    || (lt.startsWith("MUXF") && lp.startsWith("I")))) {
                return 0;
            }
            if (dt.startsWith("MUXF") && lt.startsWith("MUXF") && lp.startsWith("I")) {
                return 0;
            }
            if (CellRules.isDsp(dt) && CellRules.isDsp(lt) && (dp.endsWith("COUT") || dp.equals("MULTSIGNOUT"))) {
                return 0;
            }
        }
        return d.net(fanout[bit]);
    }

    private void addArc(int from, int to, int cell, double delay, boolean level) {
        if (narcs == arcFrom.length) {
            int n = narcs * 2;
            arcFrom = Arrays.copyOf(arcFrom, n);
            arcTo = Arrays.copyOf(arcTo, n);
            arcCell = Arrays.copyOf(arcCell, n);
            arcDelay = Arrays.copyOf(arcDelay, n);
            arcLevel = Arrays.copyOf(arcLevel, n);
        }
        arcFrom[narcs] = from;
        arcTo[narcs] = to;
        arcCell[narcs] = cell;
        arcDelay[narcs] = (float) delay;
        arcLevel[narcs] = level;
        narcs++;
    }

    private Report propagate() {
        // CSR adjacency by source bit, in-degree by target bit
        int[] head = new int[nbits + 1];
        int[] indeg = new int[nbits];
        for (int a = 0; a < narcs; a++) {
            head[arcFrom[a] + 1]++;
            indeg[arcTo[a]]++;
        }
        for (int i = 0; i < nbits; i++) {
            head[i + 1] += head[i];
        }
        int[] order = new int[narcs];
        int[] fill = Arrays.copyOf(head, nbits);
        for (int a = 0; a < narcs; a++) {
            order[fill[arcFrom[a]]++] = a;
        }
        double[] arr = Arrays.copyOf(startAt, nbits);
        double[] fromIn = new double[nbits];
        Arrays.fill(fromIn, NONE);
        for (int b = 0; b < nbits; b++) {
            if (inputPort[b]) {
                fromIn[b] = startAt[b];
            }
        }
        int[] lvl = new int[nbits];
        int[] pred = new int[nbits];
        int[] predIn = new int[nbits];
        Arrays.fill(pred, -1);
        Arrays.fill(predIn, -1);
        int[] queue = new int[nbits];
        int qh = 0;
        int qt = 0;
        for (int b = 0; b < nbits; b++) {
            if (indeg[b] == 0) {
                queue[qt++] = b;
            }
        }
        int done = 0;
        while (qh < qt) {
            int b = queue[qh++];
            done++;
            for (int k = head[b]; k < head[b + 1]; k++) {
                int a = order[k];
                int to = arcTo[a];
                if (arr[b] != NONE) {
                    double t = arr[b] + arcDelay[a];
                    if (t > arr[to]) {
                        arr[to] = t;
                        pred[to] = a;
                    }
                    lvl[to] = Math.max(lvl[to], lvl[b] + (arcLevel[a] ? 1 : 0));
                }
                if (fromIn[b] != NONE) {
                    double t = fromIn[b] + arcDelay[a];
                    if (t > fromIn[to]) {
                        fromIn[to] = t;
                        predIn[to] = a;
                    }
                }
                if (--indeg[to] == 0) {
                    queue[qt++] = to;
                }
            }
        }
        if (done < nbits) {
            List<String> loop = new ArrayList<>();
            for (int b = 0; b < nbits && loop.size() < 5; b++) {
                if (indeg[b] > 0) {
                    loop.add(nl.netName(b));
                }
            }
            throw new FornaxException("the netlist has a combinational loop through " + String.join(", ", loop));
        }

        // path ends
        SortedMap<Integer, Integer> hist = new TreeMap<>();
        List<double[]> scored = new ArrayList<>(); // {delay, end index}
        int levelsMax = 0;
        int nEnds = 0;
        for (int e = 0; e < ends.size(); e++) {
            End end = ends.get(e);
            if (arr[end.bit()] == NONE) {
                continue;
            }
            double net = end.cell() >= 0 ? netDelay(end.bit(), nl.cells().get(end.cell()), end.pin())
                    : d.net(fanout[end.bit()]);
            double total = arr[end.bit()] + net + end.setup();
            int lv = lvl[end.bit()];
            hist.merge(lv, 1, Integer::sum);
            levelsMax = Math.max(levelsMax, lv);
            nEnds++;
            scored.add(new double[] {total, e, net});
        }
        scored.sort(Comparator.comparingDouble((double[] x) -> -x[0]));
        double period = 0;
        for (Path p : internal) {
            period = Math.max(period, p.delayNs());
        }
        if (!scored.isEmpty()) {
            period = Math.max(period, scored.get(0)[0]);
        }
        List<Path> worst = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Path> internals = new ArrayList<>(internal);
        internals.sort(Comparator.comparingDouble((Path p) -> -p.delayNs()));
        int ii = 0;
        for (double[] s : scored) {
            if (worst.size() == worstCount) {
                break;
            }
            while (ii < internals.size() && internals.get(ii).delayNs() > s[0] && worst.size() < worstCount) {
                Path p = internals.get(ii++);
                if (seen.add(p.start() + "|" + p.steps().get(0).net())) {
                    worst.add(p);
                }
            }
            if (worst.size() == worstCount) {
                break;
            }
            Path p = trace(ends.get((int) s[1]), arr, pred, s[2], s[0]);
            if (seen.add(base(p.start()) + "|" + base(p.end()))) {
                worst.add(p);
            }
        }
        // input-to-output combinational paths: every input that reaches each output (the worst one
        // traced step by step; the others with the output's worst delay, an upper bound)
        int[] rhead = new int[nbits + 1];
        for (int a = 0; a < narcs; a++) {
            rhead[arcTo[a] + 1]++;
        }
        for (int i = 0; i < nbits; i++) {
            rhead[i + 1] += rhead[i];
        }
        int[] rorder = new int[narcs];
        int[] rfill = Arrays.copyOf(rhead, nbits);
        for (int a = 0; a < narcs; a++) {
            rorder[rfill[arcTo[a]]++] = a;
        }
        List<Path> io = new ArrayList<>();
        Set<String> ioSeen = new HashSet<>();
        for (End end : ends) {
            if (end.port() == null || fromIn[end.bit()] == NONE) {
                continue;
            }
            double total = fromIn[end.bit()] + d.net(fanout[end.bit()]) + end.setup();
            Path worstIn = trace(end, fromIn, predIn, d.net(fanout[end.bit()]), total);
            if (ioSeen.add(base(worstIn.start()) + "|" + base(end.port()))) {
                io.add(worstIn);
            }
            // every other input port bit behind this output
            boolean[] seenBit = new boolean[nbits];
            int[] stack = new int[nbits];
            int sp = 0;
            stack[sp++] = end.bit();
            seenBit[end.bit()] = true;
            while (sp > 0) {
                int b = stack[--sp];
                if (inputPort[b] && driverCell[b] < 0) {
                    String in = portName(b);
                    if (ioSeen.add(base(in) + "|" + base(end.port()))) {
                        io.add(new Path(in, end.port(), total, worstIn.levels(), List.of(
                                new Step("input", in, in, "", startAt[b]), new Step("output", end.port(), end.port(), "", total))));
                    }
                }
                for (int k = rhead[b]; k < rhead[b + 1]; k++) {
                    int from = arcFrom[rorder[k]];
                    if (!seenBit[from] && fromIn[from] != NONE) {
                        seenBit[from] = true;
                        stack[sp++] = from;
                    }
                }
            }
        }
        io.sort(Comparator.comparingDouble((Path p) -> -p.delayNs()));
        return new Report(period, levelsMax, hist, List.copyOf(worst), List.copyOf(io), nEnds, bramRegs, unknown);
    }

    private static String base(String name) {
        int i = name.lastIndexOf('[');
        return i > 0 ? name.substring(0, i) : name;
    }

    private Path trace(End end, double[] arr, int[] pred, double endNet, double total) {
        List<Step> rev = new ArrayList<>();
        int levels = 0;
        int b = end.bit();
        while (pred[b] >= 0) {
            int a = pred[b];
            Cell c = nl.cells().get(arcCell[a]);
            rev.add(new Step(c.type(), c.name(), nl.netName(b), c.src().isEmpty() ? nl.netSource(b) : c.src(), arr[b]));
            if (arcLevel[a]) {
                levels++;
            }
            b = arcFrom[a];
        }
        String start;
        Step first;
        if (inputPort[b] && driverCell[b] < 0) {
            start = portName(b);
            first = new Step("input", start, start, "", arr[b]);
        } else {
            Cell c = driverCell[b] >= 0 ? nl.cells().get(driverCell[b]) : null;
            start = nl.netName(b);
            first = new Step(c != null ? c.type() : "?", c != null ? c.name() : "?", start, c != null ? c.src() : "", arr[b]);
        }
        List<Step> steps = new ArrayList<>();
        steps.add(first);
        for (int i = rev.size() - 1; i >= 0; i--) {
            steps.add(rev.get(i));
        }
        String endName;
        if (end.port() != null) {
            endName = end.port();
            steps.add(new Step("output", endName, endName, "", total));
        } else {
            Cell c = nl.cells().get(end.cell());
            endName = endName(c, end);
            steps.add(new Step(c.type(), c.name(), endName, c.src(), total));
        }
        return new Path(start, endName, total, levels, List.copyOf(steps));
    }

    /** A register's own name (its Q net) for flip-flops; cell and pin otherwise. */
    private String endName(Cell c, End end) {
        if (CellRules.isFlipFlop(c.type())) {
            for (Pin p : c.pins()) {
                if (p.output() && p.bits().length > 0 && p.bits()[0] >= 0) {
                    return nl.netName(p.bits()[0]);
                }
            }
        }
        return c.name() + "/" + end.pin();
    }

    private String portName(int bit) {
        for (Port p : nl.ports()) {
            for (int i = 0; i < p.bits().length; i++) {
                if (p.bits()[i] == bit) {
                    return p.bits().length == 1 ? p.name() : p.name() + "[" + i + "]";
                }
            }
        }
        return nl.netName(bit);
    }
}
