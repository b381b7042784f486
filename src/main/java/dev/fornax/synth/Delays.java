package dev.fornax.synth;

/**
 * Per-cell and per-net delays (ns) of one FPGA family and speed grade, for the timing estimate.
 * The figures and where they come from are listed in docs/HARDWARE.md ("Timing estimate"); they are
 * data-sheet style worst-case values, not a sign-off model: real routing depends on placement.
 *
 * <p>Nets: {@code netBase + netPerFanoutDoubling * log2(fanout)}, at most {@code netMax} (a placer
 * replicates or spreads drivers of very wide nets); dedicated connections (carry chain, LUT into its
 * own slice's carry or F7 mux, DSP cascades) cost nothing.
 */
public record Delays(
        double lut,
        double muxf7,
        double muxf8,
        double muxf9,
        double carryFromS,       // S or DI input to CO/O of the same carry cell
        double carryCiToCo,      // CI to CO (carry bypass)
        double carryCiToO,       // CI to a sum output
        double ffClockToQ,
        double ffSetupD,
        double ffSetupCe,
        double ffSetupSr,
        double bramClockToOut,   // output latch (DO_REG = 0)
        double bramClockToOutReg, // output register (DO_REG = 1)
        double bramSetupAddr,
        double bramSetupData,
        double bramSetupCtrl,
        double uramClockToOut,
        double uramClockToOutReg,
        double uramSetup,
        double dspSetupInputReg,  // into AREG/BREG/CREG/DREG/... 
        double dspInToM,          // A/B/D pin to MREG (setup)
        double dspInToP,          // A/B/D pin to PREG through the multiplier, no MREG (setup)
        double dspInToOut,        // A/B/D pin to the P pins, no MREG/PREG (combinational)
        double dspInRegToM,       // AREG/BREG to MREG (inside the slice)
        double dspInRegToP,       // AREG/BREG to PREG, no MREG
        double dspInRegToOut,     // AREG/BREG clock to P pins, no MREG/PREG
        double dspInToAd,         // A/D pin to ADREG through the pre-adder (setup)
        double dspMToP,           // MREG to PREG (inside)
        double dspMToOut,         // MREG clock to P pins, no PREG
        double dspPClockToOut,    // PREG clock to P pins
        double dspCToP,           // C (or OPMODE, ALUMODE, CARRYIN) pin to PREG (setup)
        double dspCToOut,         // C pin to P pins, no PREG
        double dspCRegToP,        // CREG to PREG
        double dspCascadeToP,     // PCIN to PREG
        double dspCascadeToOut,   // PCIN to P pins
        double dspSetupCtrl,      // CE / RST pins
        double lutramRead,        // read address to data out
        double lutramClockToOut,  // write clock to data out
        double lutramSetup,       // write enable / data / write address
        double srlClockToOut,
        double netBase,
        double netPerFanoutDoubling,
        double netMax) {

    /** Net delay for a net with this many loads. */
    public double net(int fanout) {
        double d = netBase + netPerFanoutDoubling * (Math.log(Math.max(1, fanout)) / Math.log(2));
        return Math.min(d, netMax);
    }

    /**
     * 7-series (Artix-7 / Kintex-7 / Virtex-7 fabric), speed grade -2, VCCINT 1.0 V. Sources in
     * docs/HARDWARE.md: DS181/DS182/DS183 and DS189 (same 28 nm fabric) switching characteristics.
     */
    public static final Delays XC7 = new Delays(
            0.11, 0.24, 0.12, 0.12,
            0.40, 0.10, 0.30,
            0.40, 0.05, 0.30, 0.40,
            2.13, 0.74, 0.49, 0.65, 0.53,
            0, 0, 0,
            0.30, 2.70, 3.70, 4.20, 2.40, 3.40, 3.90, 1.40, 1.45, 1.80, 0.37,
            1.50, 1.90, 1.20, 1.20, 1.60, 0.50,
            0.15, 1.00, 0.45, 1.20,
            0.30, 0.12, 1.00);

    /**
     * UltraScale+ (Kintex/Virtex/Zynq UltraScale+), speed grade -2, VCCINT 0.85 V. Sources in
     * docs/HARDWARE.md: DS922/DS923/DS925 switching characteristics.
     */
    public static final Delays XCUP = new Delays(
            0.10, 0.09, 0.08, 0.07,
            0.30, 0.05, 0.15,
            0.09, 0.03, 0.10, 0.15,
            1.30, 0.45, 0.40, 0.45, 0.40,
            1.70, 0.75, 0.50,
            0.25, 1.80, 2.60, 3.00, 1.60, 2.40, 2.80, 1.00, 1.05, 1.35, 0.30,
            1.00, 1.40, 0.90, 0.85, 1.20, 0.40,
            0.15, 0.90, 0.35, 0.90,
            0.15, 0.06, 0.60);

    /**
     * One unit per logic level and nothing else: for a family without delay figures (iCE40) the
     * "worst" paths are then the deepest ones.
     */
    public static final Delays LEVELS = new Delays(
            1, 1, 1, 1,
            1, 1, 1,
            0, 0, 0, 0,
            0, 0, 0, 0, 0,
            0, 0, 0,
            0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
            0, 1, 0, 0, 1, 0,
            1, 0, 0, 0,
            0, 0, 0);
}
