package dev.fornax.rtl.perf;

import java.util.List;

/**
 * A named FPGA board as the performance model sees it: the peak bandwidth and size of its external
 * memory (from public data sheets, cited in {@link #source()}) and a design clock. Every figure is an
 * assumption — the clock is what a design like ours might close timing at, not a measured result,
 * and the bandwidth is the theoretical peak, which no real access pattern reaches. Tables print them
 * labelled "assumed".
 *
 * @param name            board name
 * @param memory          what the external memory is (type, width, rate)
 * @param dramBytesPerSec peak external-memory bandwidth in bytes/s
 * @param dramBytes       external-memory capacity in bytes
 * @param clockHz         assumed design clock
 * @param source          where the memory figures come from
 */
public record Board(String name, String memory, double dramBytesPerSec, long dramBytes, double clockHz, String source) {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    public Board {
        if (!(dramBytesPerSec > 0) || dramBytes <= 0 || !(clockHz > 0)) {
            throw new IllegalArgumentException(name + ": bandwidth, capacity and clock must be positive");
        }
    }

    /** Digilent Arty A7-100T: a small Artix-7 board; 100 MHz is its oscillator, a safe fabric clock. */
    public static final Board ARTY_A7_100T = new Board("Arty A7-100T", "DDR3L, 16-bit, 667 MT/s",
            667e6 * 2, 256 * MIB, 100e6,
            "Digilent Arty A7: 256 MB DDR3L with a 16-bit bus @ 667 MHz (read as 667 MT/s, the rate of"
                    + " Digilent's MIG setup; twice that if it were the clock)");

    /** AMD Kria KV260 (K26 SOM): the PS DDR4, reached from the fabric through the PS-PL ports. */
    public static final Board KV260 = new Board("KV260", "DDR4, 64-bit, 2400 MT/s", 2400e6 * 8, 4 * GIB, 250e6,
            "AMD DS987 Kria K26 SOM data sheet: 4 GB 64-bit wide, 2400 Mb/s memory");

    /** AMD Alveo U250: four DDR4 banks. */
    public static final Board ALVEO_U250 = new Board("Alveo U250", "DDR4, 4 × 64-bit, 2400 MT/s", 4 * 2400e6 * 8,
            64 * GIB, 300e6,
            "AMD UG1393 (Vitis): 77 GB/s on DDR-based Alveo cards; Vitis tutorial XD099: 16 GiB banks at 2400 MT/s");

    /** AMD Alveo U280: two HBM2 stacks, 32 pseudo-channels of 14.375 GB/s. */
    public static final Board ALVEO_U280 = new Board("Alveo U280", "HBM2, 32 pseudo-channels", 460e9, 8 * GIB, 300e6,
            "AMD UG1393 (Vitis), HBM configuration: 8 GB HBM on U280, 460 GB/s = 32 × 14.375 GB/s per pseudo-channel");

    /** The boards the CLI and the manifest print, smallest first. */
    public static final List<Board> ASSUMED = List.of(ARTY_A7_100T, KV260, ALVEO_U250, ALVEO_U280);
}
