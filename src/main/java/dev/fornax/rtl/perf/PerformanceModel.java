package dev.fornax.rtl.perf;

import dev.fornax.FornaxException;
import dev.fornax.ir.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Analytic cost of decoding one token on the generated core, and what that means in tokens/s on a
 * board. Pure arithmetic on the model's dimensions and the design options; the cycles per token come
 * from outside (the RTL schedule's prediction, or a simulator's count), so the same model prints the
 * predicted and the simulated figure.
 *
 * <p>Decode is bounded twice: by compute, clock / cycles per token, and by memory, the bytes that
 * cross the DRAM interface per token divided by the bandwidth that reaches the core — the lesser of
 * the board's peak DRAM bandwidth and what one AXI4 read port of {@code axiDataWidth} bits carries
 * at the clock. The estimate is the smaller of the two (weights stream while the MACs run, so at
 * best the two overlap fully).
 *
 * @param spec            the model
 * @param lanes           INT8 MACs per cycle (rows are padded to whole beats of LANES bytes)
 * @param weights         where the weights live
 * @param kv              where the KV cache lives (the generated core keeps it on chip)
 * @param context         KV cache positions
 * @param position        0-based position of the token (it attends to position + 1 entries)
 * @param axiDataWidth    AXI4 read data width in bits, per port; used when anything lives in DRAM
 * @param axiPorts        AXI4 read ports, each carrying an equal share of every matrix (1..32)
 * @param cyclesPerToken  cycles for this token: the RTL's prediction or a simulated count
 * @param cyclesSource    where {@code cyclesPerToken} comes from, for labels ("predicted", "simulated")
 * @param groupSize       INT4 weights in groups of this many (two weights per byte, one multiplier byte per
 *                        group); 0 for INT8
 */
public record PerformanceModel(
        ModelSpec spec,
        int lanes,
        Placement weights,
        Placement kv,
        int context,
        int position,
        int axiDataWidth,
        int axiPorts,
        double cyclesPerToken,
        String cyclesSource,
        int groupSize) {

    /** An INT8 design (groupSize 0). */
    public PerformanceModel(ModelSpec spec, int lanes, Placement weights, Placement kv, int context, int position,
            int axiDataWidth, int axiPorts, double cyclesPerToken, String cyclesSource) {
        this(spec, lanes, weights, kv, context, position, axiDataWidth, axiPorts, cyclesPerToken, cyclesSource, 0);
    }

    /** The same design with INT4 weights in groups of {@code g} (docs/NUMERICS.md; 0: INT8). */
    public PerformanceModel withGroupSize(int g) {
        return new PerformanceModel(spec, lanes, weights, kv, context, position, axiDataWidth, axiPorts, cyclesPerToken,
                cyclesSource, g);
    }

    /** Where a memory lives: in the design (block RAM / ROM) or in external DRAM behind the AXI port. */
    public enum Placement {
        ON_CHIP,
        DRAM;

        /** The compile option's spelling: {@code rom} → on chip, {@code dram} → DRAM. */
        public static Placement ofWeightsOption(String option) {
            return switch (option) {
                case "rom" -> ON_CHIP;
                case "dram" -> DRAM;
                default -> throw new FornaxException("--weights must be rom or dram, got " + option);
            };
        }
    }

    /**
     * Bytes of one row's constant word: the RTL's 64-bit {bias[31:0], k[11:0], M[15:0]} (the per-row
     * scale (M, k) of NUMERICS.md and the qwen2 q/k/v bias, zero elsewhere).
     */
    public static final int SCALE_WORD_BYTES = 8;
    /** KV cache mantissas are BFP14 in int16 (NUMERICS.md). */
    public static final int KV_MANTISSA_BYTES = 2;
    /** One exponent per (position, kv head) vector of K and of V, counted as a 16-bit word. */
    public static final int KV_EXPONENT_BYTES = 2;
    /** AXI4 allows read data widths of 8 to 1024 bits. */
    public static final int AXI_MAX_DATA_WIDTH = 1024;

    public PerformanceModel {
        if (lanes < 1 || lanes > 2048 || Integer.bitCount(lanes) != 1) {
            throw new FornaxException("lanes must be a power of two in 1..2048, got " + lanes);
        }
        if (context < 1) {
            throw new FornaxException("context must be >= 1, got " + context);
        }
        if (position < 0 || position >= context) {
            throw new FornaxException("position " + position + " is outside the context 0.." + (context - 1));
        }
        if (axiPorts < 1 || axiPorts > 32) {
            throw new FornaxException("AXI ports must be in 1..32, got " + axiPorts);
        }
        if (!(cyclesPerToken > 0) || Double.isInfinite(cyclesPerToken)) {
            throw new FornaxException("cycles per token must be positive and finite, got " + cyclesPerToken);
        }
        boolean usesDram = weights == Placement.DRAM || kv == Placement.DRAM;
        if (usesDram && (axiDataWidth < 8 || axiDataWidth > AXI_MAX_DATA_WIDTH || Integer.bitCount(axiDataWidth) != 1)) {
            throw new FornaxException("AXI data width must be a power of two in 8.." + AXI_MAX_DATA_WIDTH
                    + " bits when weights or KV cache are in DRAM, got " + axiDataWidth);
        }
    }

    /** One AXI port. */
    public PerformanceModel(ModelSpec spec, int lanes, Placement weights, Placement kv, int context, int position,
            int axiDataWidth, double cyclesPerToken, String cyclesSource) {
        this(spec, lanes, weights, kv, context, position, axiDataWidth, 1, cyclesPerToken, cyclesSource);
    }

    /** The compile-time view: cycles predicted by the RTL's schedule, KV cache on chip, one AXI port. */
    public static PerformanceModel predicted(ModelSpec spec, int lanes, String weightsOption, int context, int position,
            int axiDataWidth, double predictedCyclesPerToken) {
        return predicted(spec, lanes, weightsOption, context, position, axiDataWidth, 1, predictedCyclesPerToken);
    }

    /** The compile-time view of a design with {@code axiPorts} read ports. */
    public static PerformanceModel predicted(ModelSpec spec, int lanes, String weightsOption, int context, int position,
            int axiDataWidth, int axiPorts, double predictedCyclesPerToken) {
        return new PerformanceModel(spec, lanes, Placement.ofWeightsOption(weightsOption), Placement.ON_CHIP, context,
                position, axiDataWidth, axiPorts, predictedCyclesPerToken, "predicted");
    }

    /** The same design with another cycle count (e.g. a simulator's). */
    public PerformanceModel withCycles(double cycles, String source) {
        return new PerformanceModel(spec, lanes, weights, kv, context, position, axiDataWidth, axiPorts, cycles, source,
                groupSize);
    }

    /** The same design at another lane count (cycles unchanged: pass new ones with {@link #withCycles}). */
    public PerformanceModel withLanes(int n) {
        return new PerformanceModel(spec, n, weights, kv, context, position, axiDataWidth, axiPorts, cyclesPerToken,
                cyclesSource, groupSize);
    }

    public long macsPerToken() {
        return Macs.perToken(spec, position);
    }

    public double idealCyclesPerToken() {
        return Macs.idealCycles(spec, position, lanes);
    }

    /** Bytes the AXI read ports deliver per cycle together: one beat of axiDataWidth/8 bytes each. */
    public long axiBytesPerCycle() {
        return (long) axiPorts * axiDataWidth / 8;
    }

    /**
     * Cycles the AXI read ports need to deliver this token's DRAM bytes (as laid out, rows padded)
     * at one beat per port per cycle (0 when nothing comes from DRAM). A design with more lanes than
     * the ports feed (8·LANES > ports·axiDataWidth) cannot beat this, whatever its MACs/LANES.
     */
    public double axiBoundCyclesPerToken() {
        long bytes = dramBytesPerToken();
        return bytes == 0 ? 0 : Math.ceil(bytes / (double) axiBytesPerCycle());
    }

    /** The same for the bytes a token needs without the row padding (the bound). */
    public double unpaddedAxiBoundCyclesPerToken() {
        long bytes = (weights == Placement.DRAM ? weightBytesPerToken() : 0) + (kv == Placement.DRAM ? kvBytesPerToken() : 0);
        return bytes == 0 ? 0 : Math.ceil(bytes / (double) axiBytesPerCycle());
    }

    /** The larger of the ideal MACs/LANES and the AXI-bound cycles: the best the design's ports allow. */
    public double boundCyclesPerToken() {
        return Math.max(idealCyclesPerToken(), axiBoundCyclesPerToken());
    }

    /** max(MACs/LANES, unpadded bytes ÷ bytes per cycle of all ports): the target's bound (issue 10). */
    public double unpaddedBoundCyclesPerToken() {
        return Math.max(idealCyclesPerToken(), unpaddedAxiBoundCyclesPerToken());
    }

    /**
     * INT8 weight bytes one token reads, without padding: every matrix once (the tied lm_head reads
     * the embedding table in full), a constant word per row, and the token's embedding row.
     */
    public long weightBytesPerToken() {
        if (groupSize != 0) { // INT4: ⌈cols/2⌉ weight bytes and ⌈cols/G⌉ multiplier bytes per row
            long n = 0;
            for (long[] m : shapes()) {
                n += m[0] * (int4Bytes(m[1]) + SCALE_WORD_BYTES);
            }
            return n + int4Bytes(spec.hidden()) + SCALE_WORD_BYTES;
        }
        return Macs.matrices(spec) + rowsPerToken() * SCALE_WORD_BYTES + spec.hidden() + SCALE_WORD_BYTES;
    }

    private long int4Bytes(long cols) {
        return (cols + 1) / 2 + (cols + groupSize - 1) / groupSize;
    }

    /** INT4 packed beats of one row of {@code cols} (the embedding row): ⌈bpr/G⌉ multiplier + ⌈bpr/2⌉ weight beats. */
    private long int4Beats(long cols) {
        long bpr = (cols + lanes - 1) / lanes;
        return (bpr + groupSize - 1) / groupSize + (bpr + 1) / 2;
    }

    /**
     * INT4 beats of a matrix (docs/HARDWARE.md, "INT4 weight stream"): blocks of k = 2^lk rows, k the
     * largest power of two with k·⌈bpr·LANES/G⌉ ≤ LANES, one run of multiplier beats per block.
     */
    private long int4MatrixBeats(long rows, long cols) {
        long bpr = (cols + lanes - 1) / lanes;
        long ngp = (bpr * lanes + groupSize - 1) / groupSize;
        int lk = 0;
        while ((2L << lk) * ngp <= lanes && lk < 15) {
            lk++;
        }
        long blocks = (rows + (1L << lk) - 1) >> lk;
        long sb = ((ngp << lk) + lanes - 1) / lanes;
        return blocks * sb + rows * ((bpr + 1) / 2);
    }

    /** {rows, cols} of every matrix a token streams: per layer q, k, v, o, gate, up, down; lm_head. */
    private List<long[]> shapes() {
        long d = spec.hidden();
        long q = spec.qDim();
        long kvd = spec.kvDim();
        long i = spec.intermediate();
        List<long[]> out = new ArrayList<>();
        for (int l = 0; l < spec.layers(); l++) {
            out.add(new long[] {q, d});
            out.add(new long[] {kvd, d});
            out.add(new long[] {kvd, d});
            out.add(new long[] {d, q});
            out.add(new long[] {i, d});
            out.add(new long[] {i, d});
            out.add(new long[] {d, i});
        }
        out.add(new long[] {spec.vocab(), d});
        return out;
    }

    /** The same with every row padded to whole beats of LANES bytes, as the weight stream is laid out. */
    public long fetchedWeightBytesPerToken() {
        if (groupSize != 0) {
            long n = 0;
            for (long[] m : shapes()) {
                n += int4MatrixBeats(m[0], m[1]) * lanes + m[0] * SCALE_WORD_BYTES;
            }
            return n + int4Beats(spec.hidden()) * lanes + SCALE_WORD_BYTES;
        }
        long lmHead = spec.vocab() * padded(spec.hidden());
        return paddedLayerBytes() + lmHead + rowsPerToken() * SCALE_WORD_BYTES + padded(spec.hidden())
                + SCALE_WORD_BYTES;
    }

    /** Padded bytes of every layer's seven matrices. */
    private long paddedLayerBytes() {
        long d = spec.hidden();
        long q = spec.qDim();
        long kvd = spec.kvDim();
        long i = spec.intermediate();
        long perLayer = q * padded(d) + 2 * kvd * padded(d) + d * padded(q) + 2 * i * padded(d) + d * padded(i);
        return perLayer * spec.layers();
    }

    /** Weight rows (hence constant words) one token reads: every matrix's rows, lm_head included. */
    private long rowsPerToken() {
        long perLayer = spec.qDim() + 2L * spec.kvDim() + spec.hidden() + 2L * spec.intermediate() + spec.hidden();
        return perLayer * spec.layers() + spec.vocab();
    }

    private long padded(long cols) {
        return (cols + lanes - 1) / lanes * lanes;
    }

    /** Bytes of one cached position over all layers: K and V, each KV·hd mantissas plus KV exponents. */
    public long kvBytesPerPosition() {
        long vector = (long) spec.headDim() * KV_MANTISSA_BYTES + KV_EXPONENT_BYTES;
        return 2L * spec.layers() * spec.kvHeads() * vector;
    }

    /** KV traffic of this token: it writes its own entry and reads position + 1 entries (its own included). */
    public long kvBytesPerToken() {
        return kvBytesPerPosition() * (position + 2L);
    }

    /** The KV cache's size at the full context. */
    public long kvCacheBytes() {
        return kvBytesPerPosition() * context;
    }

    /** Bytes crossing the DRAM interface for this token: fetched weights and/or KV traffic, as placed. */
    public long dramBytesPerToken() {
        return (weights == Placement.DRAM ? fetchedWeightBytesPerToken() : 0)
                + (kv == Placement.DRAM ? kvBytesPerToken() : 0);
    }

    /**
     * Bytes that must sit in DRAM: the padded weight image — layers, the embedding table, the lm_head
     * (a tied one shares the embedding's rows and has only its own constant words), a constant word
     * per row of every matrix — and/or the KV cache at the full context.
     */
    public long dramResidentBytes() {
        long image = 0;
        if (weights == Placement.DRAM) {
            long table = spec.vocab() * padded(spec.hidden());
            long constWords = rowsPerToken() + spec.vocab(); // every matrix's rows + the embedding's
            image = paddedLayerBytes() + table * (spec.tiedEmbeddings() ? 1 : 2) + constWords * SCALE_WORD_BYTES;
        }
        return image + (kv == Placement.DRAM ? kvCacheBytes() : 0);
    }

    /** Bytes/s the design's AXI4 read ports deliver at {@code clockHz}: one beat per port per cycle. */
    public double axiPortBytesPerSec(double clockHz) {
        return clockHz * axiBytesPerCycle();
    }

    /**
     * Bytes/s the design's ports can carry on a board: each design port at the board clock, but
     * through the board's fabric ports (HBM pseudo-channel ports, DDR controller ports, Zynq HP
     * ports), none faster than its own width × clock; more design ports than the board has share
     * them. Without port figures, the design ports alone.
     */
    public double fabricBytesPerSec(Board b) {
        double design = axiPortBytesPerSec(b.clockHz());
        if (b.ports().isEmpty()) {
            return design;
        }
        double boardPorts = 0;
        int n = 0;
        for (Board.Port p : b.ports()) {
            boardPorts += p.count() * p.bytesPerSec();
            n += p.count();
        }
        double onePort = b.clockHz() * axiDataWidth / 8.0;
        double perBoardPort = boardPorts / n;
        return axiPorts >= n ? Math.min(design, boardPorts) : axiPorts * Math.min(onePort, perBoardPort);
    }

    /** DRAM peak ÷ the bytes a token needs (unpadded): the board's memory roofline in tokens/s; infinite without DRAM traffic. */
    public double rooflineTokensPerSec(Board b) {
        long bytes = (weights == Placement.DRAM ? weightBytesPerToken() : 0) + (kv == Placement.DRAM ? kvBytesPerToken() : 0);
        return bytes == 0 || b.dramBytesPerSec() == 0 ? Double.POSITIVE_INFINITY : b.dramBytesPerSec() / bytes;
    }

    /** clock / cycles per token. */
    public double computeBoundTokensPerSec(double clockHz) {
        return clockHz / cyclesPerToken;
    }

    /** min(DRAM bandwidth, AXI ports) / DRAM bytes per token; infinite when nothing is fetched from DRAM. */
    public double bandwidthBoundTokensPerSec(double clockHz, double dramBytesPerSec) {
        return bandwidthBound(axiPortBytesPerSec(clockHz), dramBytesPerSec);
    }

    private double bandwidthBound(double ports, double dramBytesPerSec) {
        long bytes = dramBytesPerToken();
        if (bytes == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.min(dramBytesPerSec, ports) / bytes;
    }

    /** What bounds decoding on a board. */
    public enum Limit {
        COMPUTE("compute"),
        DRAM("DRAM"),
        AXI_PORT("AXI port");

        public final String label;

        Limit(String label) {
            this.label = label;
        }
    }

    /**
     * One board's figures.
     *
     * @param fits whether {@link #dramResidentBytes()} fit the board's DRAM; null when nothing lives there
     */
    public record BoardEstimate(Board board, double axiPortBytesPerSec, double computeBound, double bandwidthBound,
            double tokensPerSec, Limit limit, Boolean fits, double roofline) {
        /** tokens/s ÷ the memory roofline (NaN without DRAM traffic). */
        public double rooflineFraction() {
            return Double.isInfinite(roofline) ? Double.NaN : tokensPerSec / roofline;
        }
    }

    public BoardEstimate estimate(Board b) {
        double compute = computeBoundTokensPerSec(b.clockHz());
        boolean usesDram = dramBytesPerToken() > 0;
        double port = usesDram ? fabricBytesPerSec(b) : Double.NaN;
        double bandwidth = usesDram ? bandwidthBound(port, b.dramBytesPerSec()) : Double.POSITIVE_INFINITY;
        Limit limit = compute <= bandwidth ? Limit.COMPUTE
                : b.dramBytesPerSec() <= port ? Limit.DRAM : Limit.AXI_PORT;
        Boolean fits = usesDram ? dramResidentBytes() <= b.dramBytes() : null;
        return new BoardEstimate(b, port, compute, bandwidth, Math.min(compute, bandwidth), limit, fits,
                rooflineTokensPerSec(b));
    }

    public List<BoardEstimate> estimates(List<Board> boards) {
        List<BoardEstimate> out = new ArrayList<>();
        for (Board b : boards) {
            out.add(estimate(b));
        }
        return out;
    }

    /**
     * A JSON-ready, key-sorted view for manifest.json: the per-token costs and one entry per board.
     * Unbounded figures are null.
     */
    public Map<String, Object> toJson(List<Board> boards) {
        Map<String, Object> m = new TreeMap<>();
        m.put("position", position);
        m.put("macs_per_token", macsPerToken());
        m.put("macs_formula", "matrices + 2*heads*head_dim*layers*(position + 1)");
        m.put("ideal_cycles_per_token", idealCyclesPerToken());
        m.put("axi_bound_cycles_per_token", axiBoundCyclesPerToken());
        m.put("cycles_per_token", cyclesPerToken);
        m.put("cycles_source", cyclesSource);
        m.put("weights", weights == Placement.DRAM ? "dram" : "on_chip");
        m.put("kv_cache", kv == Placement.DRAM ? "dram" : "on_chip");
        m.put("weight_bytes_per_token", weightBytesPerToken());
        m.put("fetched_weight_bytes_per_token", fetchedWeightBytesPerToken());
        m.put("kv_bytes_per_token", kvBytesPerToken());
        m.put("kv_cache_bytes", kvCacheBytes());
        m.put("dram_bytes_per_token", dramBytesPerToken());
        m.put("dram_resident_bytes", dramResidentBytes());
        m.put("axi_data_width", axiDataWidth);
        m.put("axi_ports", axiPorts);
        m.put("unpadded_bound_cycles_per_token", unpaddedBoundCyclesPerToken());
        m.put("assumptions", "clocks are assumed design targets; bandwidths are data-sheet peaks, assumed reachable");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BoardEstimate e : estimates(boards)) {
            Map<String, Object> r = new TreeMap<>();
            r.put("board", e.board().name());
            r.put("memory", e.board().memory());
            r.put("source", e.board().source());
            r.put("assumed_clock_hz", e.board().clockHz());
            r.put("assumed_dram_bytes_per_s", e.board().dramBytesPerSec());
            r.put("axi_port_bytes_per_s", finite(e.axiPortBytesPerSec()));
            r.put("compute_bound_tokens_per_s", e.computeBound());
            r.put("bandwidth_bound_tokens_per_s", finite(e.bandwidthBound()));
            r.put("tokens_per_s", e.tokensPerSec());
            r.put("limited_by", e.limit().label);
            r.put("fits_dram", e.fits());
            r.put("roofline_tokens_per_s", finite(e.roofline()));
            r.put("roofline_fraction", Double.isNaN(e.rooflineFraction()) ? null : e.rooflineFraction());
            rows.add(r);
        }
        m.put("boards", rows);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
