package dev.fornax.rtl.perf;

import dev.fornax.FornaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named FPGA board: its device, default clock, external memory (banks and the AXI ports the fabric
 * reaches them through) and logic capacity. The one board list of Fornax: the performance model,
 * {@code fornax boards}, {@code compile --board} and the vendor files all read these presets.
 *
 * <p>Every figure comes from a public data sheet named in {@link #source()} (docs/HARDWARE.md lists
 * them). The clock is an assumption — what a design like ours might close timing at, or the board's
 * oscillator where there is no PLL setup — not a measured result, and bandwidths are theoretical
 * peaks, which no real access pattern reaches. Tables print them labelled "assumed".
 *
 * @param id              the CLI name ({@code --board kv260}), lower case
 * @param name            display name
 * @param vendor          device vendor: AMD, Lattice or Intel
 * @param flow            which vendor files a design for this board gets
 * @param part            the device as the vendor tools spell it (Vivado part, nextpnr/Quartus device)
 * @param synthFamily     the Yosys synthesis family ({@code xc7}, {@code xcup}, {@code ice40}, {@code ecp5}),
 *                        or null where Yosys has none
 * @param platform        Vitis platform (Alveo) or Vivado board-part name pattern (others); may be null
 * @param clockHz         default design clock
 * @param memory          what the external memory is (type, width, rate), "none" without one
 * @param dramBytesPerSec peak external-memory bandwidth in bytes/s (0 without external memory)
 * @param dramBytes       external-memory capacity in bytes (0 without external memory)
 * @param banks           the memory banks: kind, count, width, clock, bandwidth and size each
 * @param ports           the AXI ports the fabric masters to reach the memory (Vitis banks, PS HP ports)
 * @param resources       logic capacity of the device
 * @param source          where the memory figures come from
 * @param deviceSource    where the device, port and capacity figures come from
 */
public record Board(String id, String name, String vendor, Flow flow, String part, String synthFamily, String platform,
        double clockHz, String memory, double dramBytesPerSec, long dramBytes, List<Bank> banks, List<Port> ports,
        Resources resources, String source, String deviceSource) {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    /** Which vendor flow a board's design files target. */
    public enum Flow {
        /** A plain AMD FPGA board: Vivado project, IP-XACT, block design with a memory controller. */
        VIVADO,
        /** An AMD Zynq UltraScale+ MPSoC board: Vivado, with the PS DDR reached through the HP ports. */
        ZYNQ_MPSOC,
        /** An AMD Alveo card: Vivado IP packaging plus a Vitis RTL kernel (kernel.xml, .xo, connectivity). */
        ALVEO,
        /** Lattice iCE40: Yosys + nextpnr-ice40 (icestorm). */
        ICE40,
        /** Lattice ECP5: Yosys + nextpnr-ecp5 (Trellis). */
        ECP5,
        /** An Intel (Altera) board: Quartus project. */
        QUARTUS;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** AMD flows: vivado/ files (and vitis/ on Alveo). */
        public boolean amd() {
            return this == VIVADO || this == ZYNQ_MPSOC || this == ALVEO;
        }
    }

    /**
     * A group of identical memory banks.
     *
     * @param kind              e.g. "DDR4", "HBM2 pseudo-channel"
     * @param count             banks of this kind
     * @param widthBits         data width of one bank in bits (the memory bus; for HBM the AXI side)
     * @param clockHz           interface clock of one bank
     * @param transfersPerClock 2 for DDR memories (both edges), 1 otherwise
     * @param bytesPerSec       theoretical peak of one bank, as the data sheet states it
     * @param bytes             capacity of one bank
     * @param vitisTag          the Vitis memory resource prefix ("HBM", "DDR"), or null
     */
    public record Bank(String kind, int count, int widthBits, double clockHz, int transfersPerClock, double bytesPerSec,
            long bytes, String vitisTag) {
        public Bank {
            if (count < 1 || widthBits < 1 || !(clockHz > 0) || transfersPerClock < 1 || !(bytesPerSec > 0) || bytes < 1) {
                throw new IllegalArgumentException(kind + ": every bank figure must be positive");
            }
        }

        /** width/8 × clock × transfers per clock: what the figures multiply to (the data sheet may round). */
        public double derivedBytesPerSec() {
            return widthBits / 8.0 * clockHz * transfersPerClock;
        }
    }

    /**
     * A group of identical AXI4 slave ports through which fabric masters reach the memory.
     *
     * @param kind        e.g. "HBM AXI port", "S_AXI_HP FPD"
     * @param count       ports of this kind
     * @param widthBits   the port's native data width
     * @param clockHz     the port's maximum (or the platform's) clock
     * @param bankKind    which {@link Bank#kind()} these ports reach
     * @param names       how the block design / Vitis names port i ({@code String.format(names, i)})
     */
    public record Port(String kind, int count, int widthBits, double clockHz, String bankKind, String names) {
        public Port {
            if (count < 1 || widthBits < 8 || !(clockHz > 0)) {
                throw new IllegalArgumentException(kind + ": every port figure must be positive");
            }
        }

        public double bytesPerSec() {
            return widthBits / 8.0 * clockHz;
        }

        public String name(int i) {
            return String.format(Locale.ROOT, names, i);
        }
    }

    /**
     * Logic capacity of the whole device (on Alveo the platform's shell takes part of it).
     *
     * @param luts          look-up tables ({@code lutKind}: LUT6, LUT4, or ALM on Intel)
     * @param ffs           flip-flops
     * @param dsps          DSP slices / multipliers
     * @param bramBlocks    block RAMs (RAMB36 on AMD, EBR on Lattice, M10K on Intel)
     * @param bramBlockBits bits of one block RAM
     * @param uramBlocks    UltraRAM blocks (AMD), SPRAM (iCE40 UltraPlus); 0 when absent
     * @param uramBlockBits bits of one of those
     */
    public record Resources(String lutKind, long luts, long ffs, long dsps, long bramBlocks, long bramBlockBits,
            long uramBlocks, long uramBlockBits) {
        public long bramBits() {
            return bramBlocks * bramBlockBits;
        }

        public long uramBits() {
            return uramBlocks * uramBlockBits;
        }
    }

    public Board {
        banks = List.copyOf(banks);
        ports = List.copyOf(ports);
        if (!(clockHz > 0) || dramBytesPerSec < 0 || dramBytes < 0 || (dramBytes == 0) != banks.isEmpty()) {
            throw new IllegalArgumentException(name + ": clock must be positive, bandwidth and capacity non-negative,"
                    + " and banks given exactly when there is external memory");
        }
    }

    /** Whether the fabric reaches external memory through AXI ports, so weights can live in DRAM. */
    public boolean fabricReachesDram() {
        return !ports.isEmpty();
    }

    /** Total AXI ports the fabric can use for weight streams. */
    public int portCount() {
        return ports.stream().mapToInt(Port::count).sum();
    }

    // ---- AMD boards ----

    /** Digilent Arty A7-100T: a small Artix-7 board; 100 MHz is its oscillator, a safe fabric clock. */
    public static final Board ARTY_A7_100T = new Board("arty-a7-100t", "Arty A7-100T", "AMD", Flow.VIVADO,
            "xc7a100tcsg324-1", "xc7", "*:arty-a7-100:*", 100e6, "DDR3L, 16-bit, 667 MT/s",
            667e6 * 2, 256 * MIB,
            List.of(new Bank("DDR3L", 1, 16, 333.33e6, 2, 667e6 * 2, 256 * MIB, null)),
            List.of(new Port("MIG 7-series AXI slave", 1, 128, 83.33e6, "DDR3L", "S_AXI")),
            new Resources("LUT6", 63_400, 126_800, 240, 135, 36_864, 0, 0),
            "Digilent Arty A7: 256 MB DDR3L with a 16-bit bus @ 667 MHz (read as 667 MT/s, the rate of"
                    + " Digilent's MIG setup; twice that if it were the clock)",
            "Digilent Arty A7 reference manual and board files (MIG: 333.33 MHz memory clock, 4:1 to an 83.33 MHz,"
                    + " 128-bit AXI user interface); AMD DS180 (7 Series overview), XC7A100T: 15,850 slices"
                    + " (63,400 LUTs), 126,800 flip-flops, 135 36-Kb block RAMs, 240 DSP48E1");

    /** AMD Kria KV260 (K26 SOM): the PS DDR4, reached from the fabric through the PS-PL HP ports. */
    public static final Board KV260 = new Board("kv260", "KV260", "AMD", Flow.ZYNQ_MPSOC, "xck26-sfvc784-2LV-c", "xcup",
            "*:kv260_som:*", 250e6, "DDR4, 64-bit, 2400 MT/s", 2400e6 * 8, 4 * GIB,
            List.of(new Bank("DDR4 (PS)", 1, 64, 1200e6, 2, 2400e6 * 8, 4 * GIB, null)),
            List.of(new Port("S_AXI_HP FPD (PL to PS DDR)", 4, 128, 333e6, "DDR4 (PS)", "S_AXI_HP%d_FPD")),
            new Resources("LUT6", 117_120, 234_240, 1_248, 144, 36_864, 64, 294_912),
            "AMD DS987 Kria K26 SOM data sheet: 4 GB 64-bit wide, 2400 Mb/s memory",
            "AMD DS987 (K26 SOM): XCK26-SFVC784-2LV-C, 117,120 CLB LUTs, 234,240 flip-flops, 144 block RAMs"
                    + " (5.1 Mb), 64 UltraRAMs (18 Mb), 1,248 DSP slices; DS891 (Zynq UltraScale+ MPSoC overview):"
                    + " PL-to-PS AXI slave ports S_AXI_HP0..3_FPD, 128-bit (also 64/32); DS925: PS-PL AXI"
                    + " interfaces up to 333 MHz");

    /** AMD ZCU104 evaluation kit: Zynq UltraScale+ ZU7EV, PS DDR4 SODIMM through the HP ports. */
    public static final Board ZCU104 = new Board("zcu104", "ZCU104", "AMD", Flow.ZYNQ_MPSOC, "xczu7ev-ffvc1156-2-e",
            "xcup", "*:zcu104:*", 250e6, "DDR4 SODIMM (PS), 64-bit, 2400 MT/s", 2400e6 * 8, 2 * GIB,
            List.of(new Bank("DDR4 (PS)", 1, 64, 1200e6, 2, 2400e6 * 8, 2 * GIB, null)),
            List.of(new Port("S_AXI_HP FPD (PL to PS DDR)", 4, 128, 333e6, "DDR4 (PS)", "S_AXI_HP%d_FPD")),
            new Resources("LUT6", 230_400, 460_800, 1_728, 312, 36_864, 96, 294_912),
            "AMD UG1267 ZCU104 user guide: PS-side 2 GB DDR4 SODIMM, 64-bit, run at the PS controller's"
                    + " 2400 Mb/s (DS925)",
            "AMD DS891, XCZU7EV: 230,400 CLB LUTs, 460,800 flip-flops, 312 block RAMs (11.0 Mb), 96 UltraRAMs"
                    + " (27.0 Mb), 1,728 DSP slices; S_AXI_HP0..3_FPD 128-bit ports; DS925: PS-PL AXI up to 333 MHz");

    /** AMD Alveo U250: four DDR4 banks. */
    public static final Board ALVEO_U250 = new Board("u250", "Alveo U250", "AMD", Flow.ALVEO, "xcu250-figd2104-2L-e",
            "xcup", "xilinx_u250_gen3x16_xdma_4_1_202210_1", 300e6, "DDR4, 4 × 64-bit, 2400 MT/s", 4 * 2400e6 * 8,
            64 * GIB,
            List.of(new Bank("DDR4", 4, 64, 1200e6, 2, 2400e6 * 8, 16 * GIB, "DDR")),
            List.of(new Port("DDR4 memory-subsystem AXI port", 4, 512, 300e6, "DDR4", "DDR[%d]")),
            new Resources("LUT6", 1_728_000, 3_456_000, 12_288, 2_688, 36_864, 1_280, 294_912),
            "AMD UG1393 (Vitis): 77 GB/s on DDR-based Alveo cards; Vitis tutorial XD099: 16 GiB banks at 2400 MT/s",
            "AMD DS962 (Alveo U200/U250 data sheet): 64 GB DDR4 in 4 x 16 GB, 1,728K LUTs, 3,456K registers,"
                    + " 12,288 DSP slices, 54 MB internal SRAM (2,688 block RAMs, 1,280 UltraRAMs); UG1120: platform"
                    + " xilinx_u250_gen3x16_xdma_4_1_202210_1, memory resources DDR[0..3]");

    /** AMD Alveo U280: two HBM2 stacks, 32 pseudo-channels of 14.375 GB/s (its two DDR4 banks are not used). */
    public static final Board ALVEO_U280 = new Board("u280", "Alveo U280", "AMD", Flow.ALVEO, "xcu280-fsvh2892-2L-e",
            "xcup", "xilinx_u280_gen3x16_xdma_1_202211_1", 300e6, "HBM2, 32 pseudo-channels", 460e9, 8 * GIB,
            List.of(new Bank("HBM2 pseudo-channel", 32, 256, 450e6, 1, 14.375e9, 256 * MIB, "HBM")),
            List.of(new Port("HBM AXI port", 32, 256, 450e6, "HBM2 pseudo-channel", "HBM[%d]")),
            new Resources("LUT6", 1_304_000, 2_607_000, 9_024, 2_016, 36_864, 960, 294_912),
            "AMD UG1393 (Vitis), HBM configuration: 8 GB HBM on U280, 460 GB/s = 32 × 14.375 GB/s per pseudo-channel",
            "AMD UG1393: 256 MB pseudo-channels, one AXI interface each (256-bit at ~450 MHz, PG276); DS963 (Alveo"
                    + " U280 data sheet): 1,304K LUTs, 2,607K registers, 9,024 DSP slices, 2,016 block RAMs, 960"
                    + " UltraRAMs, and 32 GB DDR4 (2 x 16 GB, not used by Fornax); UG1120: platform"
                    + " xilinx_u280_gen3x16_xdma_1_202211_1, memory resources HBM[0..31]");

    /** AMD Alveo U55C: 16 GB HBM2 in 32 pseudo-channels of 512 MB, no DDR. */
    public static final Board ALVEO_U55C = new Board("u55c", "Alveo U55C", "AMD", Flow.ALVEO, "xcu55c-fsvh2892-2L-e",
            "xcup", "xilinx_u55c_gen3x16_xdma_3_202210_1", 300e6, "HBM2, 32 pseudo-channels", 460e9, 16 * GIB,
            List.of(new Bank("HBM2 pseudo-channel", 32, 256, 450e6, 1, 14.375e9, 512 * MIB, "HBM")),
            List.of(new Port("HBM AXI port", 32, 256, 450e6, "HBM2 pseudo-channel", "HBM[%d]")),
            new Resources("LUT6", 1_304_000, 2_607_000, 9_024, 2_016, 36_864, 960, 294_912),
            "AMD UG1393 (Vitis), HBM configuration: 16 GB HBM on U55C in 512 MB pseudo-channels, 460 GB/s = 32 x"
                    + " 14.375 GB/s",
            "AMD DS978 (Alveo U55C data sheet): 1,304K LUTs, 2,607K registers, 9,024 DSP slices, 2,016 block RAMs,"
                    + " 960 UltraRAMs; UG1120: platform xilinx_u55c_gen3x16_xdma_3_202210_1, memory resources"
                    + " HBM[0..31]");

    // ---- Lattice boards (open-source flows) ----

    /** 1BitSquared iCEBreaker: iCE40 UltraPlus 5K, no external RAM (weights must fit on chip). */
    public static final Board ICEBREAKER = new Board("icebreaker", "iCEBreaker (iCE40UP5K)", "Lattice", Flow.ICE40,
            "up5k-sg48", "ice40", null, 12e6, "none", 0, 0, List.of(), List.of(),
            new Resources("LUT4", 5_280, 5_280, 8, 30, 4_096, 4, 262_144),
            "iCEBreaker: 16 MB SPI flash and no RAM beyond the FPGA's",
            "Lattice FPGA-DS-02008 (iCE40 UltraPlus family data sheet), iCE40UP5K: 5,280 LUT4s and flip-flops,"
                    + " 30 EBR of 4 Kbit, 4 SPRAM of 256 Kbit, 8 SB_MAC16 DSPs; iCEBreaker: 12 MHz oscillator");

    /** Radiona ULX3S with the 85k ECP5: 32 MB SDRAM, which Fornax has no controller for (weights on chip). */
    public static final Board ULX3S_85F = new Board("ulx3s-85f", "ULX3S (ECP5-85F)", "Lattice", Flow.ECP5,
            "LFE5U-85F-6BG381C", "ecp5", null, 25e6, "SDRAM, 16-bit, 166 MHz", 16 / 8.0 * 166e6, 32 * MIB,
            List.of(new Bank("SDR SDRAM", 1, 16, 166e6, 1, 16 / 8.0 * 166e6, 32 * MIB, null)), List.of(),
            new Resources("LUT4", 83_640, 83_640, 156, 208, 18_432, 0, 0),
            "ULX3S documentation: 32 MB SDRAM (16-bit, 166 MHz parts); Fornax has no SDRAM controller, so designs"
                    + " for it keep their weights on chip",
            "Lattice FPGA-DS-02012 (ECP5 family data sheet), LFE5U-85: 84K LUT4s (83,640, one flip-flop each),"
                    + " 208 EBR of 18 Kbit (3,744 Kbit), 156 18x18 multipliers; ULX3S: 25 MHz oscillator");

    // ---- Intel boards ----

    /** Terasic DE10-Nano: Cyclone V SoC; its HPS DDR3 is not wired to a Fornax AXI port (weights on chip). */
    public static final Board DE10_NANO = new Board("de10-nano", "DE10-Nano (Cyclone V SoC)", "Intel", Flow.QUARTUS,
            "5CSEBA6U23I7", null, null, 50e6, "DDR3 (HPS), 32-bit, 800 MT/s", 800e6 * 4, GIB,
            List.of(new Bank("DDR3 (HPS)", 1, 32, 400e6, 2, 800e6 * 4, GIB, null)), List.of(),
            new Resources("ALM", 41_509, 166_036, 112, 553, 10_240, 0, 0),
            "Terasic DE10-Nano user manual: 1 GB DDR3 on the HPS, 32-bit; Fornax does not reach it (no HPS"
                    + " bridge in the generated files), so designs for it keep their weights on chip",
            "Intel Cyclone V device overview, 5CSEBA6: 110K LEs (41,509 ALMs, 166,036 registers), 553 M10K blocks"
                    + " (5,570 Kb), 112 variable-precision DSP blocks; DE10-Nano: 50 MHz oscillators");

    /** The boards the performance table of compile, verify and the manifest prints, smallest first. */
    public static final List<Board> ASSUMED = List.of(ARTY_A7_100T, KV260, ALVEO_U250, ALVEO_U280);

    /** Every preset, in the order {@code fornax boards} lists them. */
    public static final List<Board> PRESETS = List.of(ARTY_A7_100T, KV260, ZCU104, ALVEO_U250, ALVEO_U280, ALVEO_U55C,
            ICEBREAKER, ULX3S_85F, DE10_NANO);

    /** The preset with this id (case-insensitive), or a user error listing the boards. */
    public static Board byId(String id) {
        for (Board b : PRESETS) {
            if (b.id.equalsIgnoreCase(id.trim())) {
                return b;
            }
        }
        throw new FornaxException("unknown board '" + id + "'; the boards are: " + ids()
                + " (fornax boards lists them with their parts and memories)");
    }

    /** The preset ids, comma separated. */
    public static String ids() {
        List<String> out = new ArrayList<>();
        PRESETS.forEach(b -> out.add(b.id));
        return String.join(", ", out);
    }

    /** A key-sorted JSON view ({@code fornax boards --json}, the manifest's {@code board} key). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("vendor", vendor);
        m.put("flow", flow.cliName());
        m.put("part", part);
        m.put("synth_family", synthFamily);
        m.put("platform", platform);
        m.put("default_clock_hz", clockHz);
        m.put("memory", memory);
        m.put("dram_bytes", dramBytes);
        m.put("dram_bytes_per_s", dramBytesPerSec);
        List<Map<String, Object>> bs = new ArrayList<>();
        for (Bank b : banks) {
            Map<String, Object> e = new TreeMap<>();
            e.put("kind", b.kind());
            e.put("count", b.count());
            e.put("width_bits", b.widthBits());
            e.put("clock_hz", b.clockHz());
            e.put("transfers_per_clock", b.transfersPerClock());
            e.put("bytes_per_s", b.bytesPerSec());
            e.put("bytes", b.bytes());
            e.put("vitis_tag", b.vitisTag());
            bs.add(e);
        }
        m.put("memory_banks", bs);
        List<Map<String, Object>> ps = new ArrayList<>();
        for (Port p : ports) {
            Map<String, Object> e = new TreeMap<>();
            e.put("kind", p.kind());
            e.put("count", p.count());
            e.put("width_bits", p.widthBits());
            e.put("clock_hz", p.clockHz());
            e.put("bytes_per_s", p.bytesPerSec());
            e.put("reaches", p.bankKind());
            e.put("first_name", p.name(0));
            ps.add(e);
        }
        m.put("memory_ports", ps);
        Map<String, Object> r = new TreeMap<>();
        r.put("lut_kind", resources.lutKind());
        r.put("luts", resources.luts());
        r.put("ffs", resources.ffs());
        r.put("dsps", resources.dsps());
        r.put("bram_blocks", resources.bramBlocks());
        r.put("bram_block_bits", resources.bramBlockBits());
        r.put("bram_bits", resources.bramBits());
        r.put("uram_blocks", resources.uramBlocks());
        r.put("uram_block_bits", resources.uramBlockBits());
        r.put("uram_bits", resources.uramBits());
        m.put("resources", r);
        m.put("source", source);
        m.put("device_source", deviceSource);
        return m;
    }
}
