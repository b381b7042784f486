package dev.fornax.golden;

/**
 * The fixed lookup tables of the numerics (docs/NUMERICS.md): how many entries each has and how
 * wide an entry is. The single source of these figures: {@link Tables} builds the tables with
 * them, the RTL sizes its ROMs from {@code fornax_isa.vh} (generated from this enum by
 * {@code dev.fornax.rtl.IsaHeader}) and the manifest counts their bits with them.
 */
public enum LookupTable {
    /** EPS[s] = round(D·eps·2^(32−2s)) for the RMSNorm input shift s = 0..17. */
    EPS(18, 64),
    /** 1/√x on [1, 4] in 3·64 steps, Q15 (RMSNorm). */
    RSQRT(193, 16),
    /** 2^(−i/256), Q15 (softmax). */
    EXP2(257, 16),
    /** 2^31/(2^15 + 128·i), the softmax normaliser's reciprocal (17 bits: RECIP[0] = 2^16). */
    RECIP(257, 17),
    /** f(x) of act(x) = x·f(x) on [−16, 16] in steps of 1/32, Q15. */
    GATE(1025, 16);

    private final int entries;
    private final int bits;

    LookupTable(int entries, int bits) {
        this.entries = entries;
        this.bits = bits;
    }

    /** Number of entries (the ROM depth). */
    public int entries() {
        return entries;
    }

    /** Bits of one entry (the ROM width). */
    public int bits() {
        return bits;
    }

    /** Address bits of a ROM holding the table. */
    public int addressBits() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(entries - 1));
    }
}
