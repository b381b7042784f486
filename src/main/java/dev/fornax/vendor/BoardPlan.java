package dev.fornax.vendor;

import dev.fornax.FornaxException;
import dev.fornax.ir.ModelSpec;
import dev.fornax.rtl.perf.Board;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code compile --board NAME} picks for a model: weight placement, lanes and AXI width (each
 * unless given on the command line) and the clock, with the reason for each choice; and, once the
 * design exists, whether it fits the part.
 *
 * @param lanes     INT8 MACs per cycle
 * @param weights   rom or dram
 * @param axiWidth  AXI data width of the weight ports (0 in rom mode)
 * @param clockHz   the kernel clock the constraints ask for
 * @param reasons   one line per choice
 */
public record BoardPlan(Board board, int lanes, String weights, int axiWidth, double clockHz, List<String> reasons) {

    /** DSP slices the core uses besides the MAC lanes (requantisers, RMSNorm, RoPE, GLU, attention):
     *  49 DSP48E1 at 16 lanes in SynthesisTest (docs/HARDWARE.md) less the 16 lanes, rounded up. */
    static final int NON_MAC_DSPS = 34;
    /** The share of block RAM and UltraRAM a default ROM placement may fill (the rest: KV cache, buffers, tables). */
    static final double ROM_SHARE = 0.6;
    /** The share ROM weights, the KV cache and the rope tables may fill together (the rest: buffers, other tables). */
    static final double ON_CHIP_SHARE = 0.9;

    public BoardPlan {
        reasons = List.copyOf(reasons);
    }

    /** Choices for a model on a board at a KV cache of {@code context} positions; null arguments are the ones to pick. */
    public static BoardPlan of(Board b, ModelSpec s, int context, Integer lanes, String weights, Integer axiWidth,
            Double clockMhz) {
        List<String> why = new ArrayList<>();
        long weightBits = weightBits(s);
        long kvBits = kvAndRopeBits(s, context);
        long onChip = b.resources().bramBits() + b.resources().uramBits();
        String w = weights;
        if (w == null) {
            if (!b.fabricReachesDram()) {
                w = "rom";
                why.add("weights rom: the " + b.name() + " has no external memory a Fornax design reaches");
            } else if (weightBits > ROM_SHARE * onChip) {
                w = "dram";
                why.add(String.format(Locale.ROOT, "weights dram: %,d weight bits exceed %.0f%% of the part's %,d block/UltraRAM bits",
                        weightBits, 100 * ROM_SHARE, onChip));
            } else if (weightBits + kvBits > ON_CHIP_SHARE * onChip) {
                w = "dram";
                why.add(String.format(Locale.ROOT, "weights dram: %,d weight bits and the %,d bits of the KV cache and rope"
                        + " tables at context %d exceed %.0f%% of the part's %,d block/UltraRAM bits", weightBits, kvBits,
                        context, 100 * ON_CHIP_SHARE, onChip));
            } else {
                w = "rom";
                why.add(String.format(Locale.ROOT, "weights rom: %,d weight bits fit in %.0f%% of the part's %,d block/UltraRAM bits"
                        + " (with the KV cache at context %d: %.0f%%)", weightBits, 100 * ROM_SHARE, onChip, context,
                        100.0 * (weightBits + kvBits) / onChip));
            }
        } else {
            why.add("weights " + w + " (given)");
        }
        if (w.equals("dram") && !b.fabricReachesDram()) {
            throw new FornaxException("--weights dram: the " + b.name() + " has no external memory a Fornax design reaches"
                    + " (use --weights rom, or another board: " + Board.ids() + ")");
        }
        Board.Port port = b.ports().isEmpty() ? null : b.ports().get(0);
        int aw = 0;
        if (w.equals("dram")) {
            if (axiWidth != null) {
                aw = axiWidth;
                why.add("AXI width " + aw + " (given)");
            } else {
                aw = Math.max(64, Math.min(1024, port.widthBits()));
                why.add("AXI width " + aw + ": the native width of the " + port.kind());
            }
        }
        int dspCap = Integer.highestOneBit(Math.max(1, (int) Math.min(2048, b.resources().dsps() - NON_MAC_DSPS)));
        int l;
        if (lanes != null) {
            l = lanes;
            why.add("lanes " + l + " (given)");
        } else {
            int want = w.equals("dram") ? Math.max(1, aw / 8) : 16;
            l = Math.min(want, dspCap);
            why.add("lanes " + l + (w.equals("dram") ? ": one weight beat per AXI beat of " + aw + " bits" : ": the default 16")
                    + (l < want ? String.format(Locale.ROOT, ", capped by the part's %d DSPs", b.resources().dsps()) : ""));
        }
        double clk;
        if (clockMhz != null) {
            if (!(clockMhz > 0) || clockMhz > 1000) {
                throw new FornaxException("--clock-mhz must be in (0, 1000], got " + clockMhz);
            }
            clk = clockMhz * 1e6;
            why.add(String.format(Locale.ROOT, "clock %.1f MHz (given)", clockMhz));
        } else {
            clk = b.clockHz();
            why.add(String.format(Locale.ROOT, "clock %.0f MHz: the board's default", clk / 1e6));
        }
        return new BoardPlan(b, l, w, aw, clk, why);
    }

    /**
     * The KV cache (16-bit K and V elements plus a 12-bit scale per head and position, every layer) and
     * the rope cos/sin tables (16 bits, half a head per position), as the manifest counts them
     * (rtl.Manifest.onChipBits).
     */
    static long kvAndRopeBits(ModelSpec s, int context) {
        long cd = (long) s.layers() * s.kvHeads() * context;
        return 2 * cd * s.headDim() * 16 + 2 * cd * 12 + 2L * context * (s.headDim() / 2) * 16;
    }

    /** INT8 weights plus a 64-bit constant word per row, every matrix once (the tied lm_head shares the table). */
    static long weightBits(ModelSpec s) {
        long d = s.hidden();
        long rows = (long) s.layers() * (s.qDim() + 2L * s.kvDim() + d + 2L * s.intermediate() + d) + s.vocab()
                + (s.tiedEmbeddings() ? 0 : s.vocab());
        long weights = (long) s.layers() * (s.qDim() * d + 2L * s.kvDim() * d + d * s.qDim() + 3L * s.intermediate() * d)
                + s.vocab() * d * (s.tiedEmbeddings() ? 1 : 2);
        return weights * 8 + rows * 64;
    }

    /**
     * Whether the compiled design fits the part and the board's memory, from the manifest's on-chip
     * memory bits and DRAM image, and a DSP estimate (LANES + the other units' DSPs). LUTs and
     * flip-flops need a synthesis: {@code fornax synth DIR}.
     */
    public Map<String, Object> fit(Map<String, ?> onChipBits, long dramBytes) {
        Map<String, Object> f = new TreeMap<>();
        long bits = 0;
        for (Object v : onChipBits.values()) {
            bits += ((Number) v).longValue();
        }
        long cap = board.resources().bramBits() + board.resources().uramBits();
        long dsps = lanes + NON_MAC_DSPS;
        boolean memOk = bits <= cap;
        boolean dspOk = dsps <= board.resources().dsps();
        boolean dramOk = dramBytes <= board.dramBytes();
        f.put("on_chip_memory_bits", bits);
        f.put("on_chip_memory_capacity_bits", cap);
        f.put("dsp_estimate", dsps);
        f.put("dsp_capacity", board.resources().dsps());
        f.put("dram_bytes", dramBytes);
        f.put("dram_capacity_bytes", board.dramBytes());
        f.put("fits", memOk && dspOk && dramOk);
        f.put("basis", "memory bits from the manifest, DSPs estimated as LANES + " + NON_MAC_DSPS
                + " (SynthesisTest); LUT and flip-flop counts come from fornax synth DIR");
        return f;
    }

    private static long num(Map<String, Object> f, String key) {
        return ((Number) f.get(key)).longValue();
    }

    /** The kernel's control logic beside the core (fornax synth estimator, xcup, one weight port): LUTs, FFs. */
    public static final long KERNEL_LUTS = 1_271 + 1_342;
    public static final long KERNEL_FFS = 729 + 1_312;

    /**
     * The fit from a synthesis of the core ({@code fornax synth DIR}'s synth.json: resources and the
     * estimated period) plus the kernel's control logic, against the board's part and clock.
     */
    public static Map<String, Object> synthFit(Board b, double clockHz, com.fasterxml.jackson.databind.JsonNode synth) {
        com.fasterxml.jackson.databind.JsonNode r = synth.path("resources");
        Map<String, Object> f = new TreeMap<>();
        long luts = r.path("lut").asLong() + KERNEL_LUTS;
        long ffs = r.path("ff").asLong() + KERNEL_FFS;
        long dsps = r.path("dsp").asLong();
        double bram36 = r.has("block_ram_18_equivalent") ? r.path("block_ram_18_equivalent").asDouble() / 2
                : r.path("block_ram").asDouble() * 4096.0 / b.resources().bramBlockBits();
        long uram = r.has("uram") ? r.path("uram").asLong() : r.path("spram").asLong();
        Board.Resources c = b.resources();
        f.put("family", synth.path("family").asText());
        f.put("luts", luts);
        f.put("ffs", ffs);
        f.put("dsps", dsps);
        f.put("block_rams", bram36);
        f.put("urams", uram);
        boolean ok = luts <= c.luts() && ffs <= c.ffs() && dsps <= c.dsps() && bram36 <= c.bramBlocks() && uram <= c.uramBlocks();
        f.put("fits_resources", ok);
        com.fasterxml.jackson.databind.JsonNode p = synth.path("estimated_period_ns");
        if (p.isNumber()) {
            f.put("estimated_period_ns", p.asDouble());
            f.put("clock_period_ns", 1e9 / clockHz);
            f.put("meets_clock_estimate", p.asDouble() <= 1e9 / clockHz);
        }
        f.put("basis", "synth.json (fornax synth: Yosys, the core) plus the kernel's control logic (" + KERNEL_LUTS
                + " LUT, " + KERNEL_FFS + " FF); an estimate before place and route");
        return f;
    }

    /** The fit as lines for the terminal. */
    public static List<String> fitLines(Board b, Map<String, Object> f) {
        List<String> out = new ArrayList<>();
        long bits = num(f, "on_chip_memory_bits");
        long cap = num(f, "on_chip_memory_capacity_bits");
        out.add(String.format(Locale.ROOT, "fit on %s (%s): on-chip memory %,d of %,d bits (%.1f%%), DSPs ~%d of %,d,"
                        + " DRAM %,d of %,d bytes: %s",
                b.name(), b.part(), bits, cap, 100.0 * bits / Math.max(1, cap), num(f, "dsp_estimate"), num(f, "dsp_capacity"),
                num(f, "dram_bytes"), num(f, "dram_capacity_bytes"), Boolean.TRUE.equals(f.get("fits")) ? "fits" : "DOES NOT FIT"));
        out.add("  (LUTs and flip-flops: fornax synth DIR, then fornax boards --fit DIR)");
        return out;
    }
}
