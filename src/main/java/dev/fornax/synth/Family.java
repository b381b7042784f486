package dev.fornax.synth;

import dev.fornax.FornaxException;
import java.util.Locale;

/** The FPGA families {@code fornax synth} maps to, with their Yosys script and delay figures. */
public enum Family {
    /** Xilinx 7-series: {@code synth_xilinx -family xc7}, CARRY4, RAMB18E1/RAMB36E1, DSP48E1. */
    XC7("xc7", "xilinx.ys", Delays.XC7),
    /** Xilinx UltraScale+: {@code synth_xilinx -family xcup}, CARRY8, RAMB18E2/RAMB36E2, DSP48E2. */
    XCUP("xcup", "xilinx.ys", Delays.XCUP),
    /** Lattice iCE40 (UltraPlus DSPs): {@code synth_ice40 -dsp}; timing from nextpnr-ice40 (--pnr), no estimate. */
    ICE40("ice40", "ice40.ys", null);

    public final String key;
    final String script;
    /** Delay figures of the estimate, or null when the family has none (iCE40: place and route instead). */
    public final Delays delays;

    Family(String key, String script, Delays delays) {
        this.key = key;
        this.script = script;
        this.delays = delays;
    }

    public boolean xilinx() {
        return this != ICE40;
    }

    public static Family parse(String s) {
        for (Family f : values()) {
            if (f.key.equals(s.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new FornaxException("unknown --family '" + s + "' (use xc7, xcup or ice40)");
    }
}
