package dev.fornax.synth;

import dev.fornax.synth.Netlist.Cell;
import dev.fornax.synth.Netlist.Pin;
import java.util.Set;

/**
 * What each mapped cell type means for timing: its combinational arcs (input bit to output bit,
 * delay, whether it is a logic level), the outputs that start a path (clock-to-out) and the inputs
 * that end one (setup). Block RAM and DSP slices are register-aware: their internal registers (by
 * DOA_REG/DOB_REG, AREG, BREG, MREG, PREG, ...) decide whether a pin starts, ends or passes a path.
 */
final class CellRules {
    /** Receives the timing view of one cell. */
    interface Sink {
        void arc(int in, int out, double delay, boolean level);

        void start(int out, double clockToOut);

        void end(int in, double setup);

        /** A register-to-register path inside the cell (e.g. a DSP's MREG to PREG). */
        void internal(double delay, String what);
    }

    private static final Set<String> CLOCK_PINS = Set.of("C", "CLK", "WCLK", "CLKARDCLK", "CLKBWRCLK", "CLKA", "CLKB",
            "RDCLK", "WRCLK", "G");

    private final Delays d;

    CellRules(Delays d) {
        this.d = d;
    }

    static boolean isFlipFlop(String type) {
        return type.matches("FD(RE|SE|CE|PE)(_1)?") || type.startsWith("SB_DFF");
    }

    static boolean isLatch(String type) {
        return type.startsWith("LD") || type.startsWith("$_DLATCH") || type.startsWith("$dlatch") || type.equals("SB_LATCH")
                || type.startsWith("$_SR_");
    }

    static boolean isBram(String type) {
        return type.startsWith("RAMB18") || type.startsWith("RAMB36") || type.equals("SB_RAM40_4K") || type.equals("SB_SPRAM256KA");
    }

    static boolean isDsp(String type) {
        return type.startsWith("DSP48") || type.equals("SB_MAC16");
    }

    static boolean isCarry(String type) {
        return type.equals("CARRY4") || type.equals("CARRY8") || type.equals("SB_CARRY");
    }

    static boolean isLutram(String type) {
        return type.matches("RAM(32|64|128|256|512)X1[SD]|RAM(32|64)M(16|8)?|RAM32M16|RAM64M8");
    }

    static boolean isSrl(String type) {
        return type.equals("SRL16E") || type.equals("SRLC32E") || type.equals("SRLC16E");
    }

    /** Cells that only pass a signal (buffers) or drive a constant. */
    static boolean isTransparent(String type) {
        return type.equals("BUFG") || type.equals("IBUF") || type.equals("OBUF") || type.equals("BUFGCE") || type.equals("IBUFG")
                || type.equals("SB_GB") || type.equals("SB_IO");
    }

    /** Known cell types; anything else is timed as one LUT level from every input to every output. */
    boolean known(String type) {
        return type.matches("LUT[1-6]|SB_LUT4|MUXF[789]|INV|GND|VCC|VCC_1|\\$scopeinfo") || isFlipFlop(type) || isLatch(type)
                || isBram(type) || isDsp(type) || isCarry(type) || isLutram(type) || isSrl(type) || isTransparent(type)
                || type.equals("URAM288") || type.equals("URAM288_BASE");
    }

    void visit(Cell c, Sink s) {
        String t = c.type();
        if (t.startsWith("LUT") || t.equals("SB_LUT4") || t.equals("INV")) {
            allToAll(c, s, d.lut(), true);
        } else if (t.equals("MUXF7")) {
            allToAll(c, s, d.muxf7(), true);
        } else if (t.equals("MUXF8")) {
            allToAll(c, s, d.muxf8(), true);
        } else if (t.equals("MUXF9")) {
            allToAll(c, s, d.muxf9(), true);
        } else if (t.equals("CARRY4") || t.equals("CARRY8")) {
            carry(c, s);
        } else if (t.equals("SB_CARRY")) {
            allToAll(c, s, d.carryCiToCo(), true);
        } else if (isFlipFlop(t)) {
            flipFlop(c, s);
        } else if (isLatch(t)) {
            allToAll(c, s, d.lut(), true);
        } else if (t.startsWith("RAMB18") || t.startsWith("RAMB36")) {
            bram(c, s);
        } else if (t.equals("SB_RAM40_4K") || t.equals("SB_SPRAM256KA")) {
            registeredAll(c, s, d.bramClockToOut(), d.bramSetupAddr());
        } else if (t.startsWith("URAM288")) {
            uram(c, s);
        } else if (t.startsWith("DSP48")) {
            dsp(c, s);
        } else if (t.equals("SB_MAC16")) {
            registeredAll(c, s, d.dspPClockToOut(), d.dspInToP());
        } else if (isLutram(t)) {
            lutram(c, s);
        } else if (isSrl(t)) {
            srl(c, s);
        } else if (isTransparent(t)) {
            allToAll(c, s, 0, false);
        } else if (t.equals("GND") || t.equals("VCC") || t.equals("VCC_1") || t.equals("$scopeinfo")) {
            // constants: their outputs never start a timed path
        } else {
            allToAll(c, s, d.lut(), true);
        }
    }

    private static void allToAll(Cell c, Sink s, double delay, boolean level) {
        for (Pin in : c.pins()) {
            if (in.output() || CLOCK_PINS.contains(in.name())) {
                continue;
            }
            for (int ib : in.bits()) {
                for (Pin out : c.pins()) {
                    if (!out.output()) {
                        continue;
                    }
                    for (int ob : out.bits()) {
                        s.arc(ib, ob, delay, level);
                    }
                }
            }
        }
    }

    /** Every output registered, every input a setup endpoint (iCE40 RAM and MAC, an approximation). */
    private static void registeredAll(Cell c, Sink s, double tco, double setup) {
        for (Pin p : c.pins()) {
            if (CLOCK_PINS.contains(p.name())) {
                continue;
            }
            for (int b : p.bits()) {
                if (p.output()) {
                    s.start(b, tco);
                } else {
                    s.end(b, setup);
                }
            }
        }
    }

    /** CARRY4 / CARRY8: output bit k depends on S[0..k], DI[0..k] and the carry input. */
    private void carry(Cell c, Sink s) {
        Pin sPin = c.pin("S");
        Pin di = c.pin("DI");
        for (String outName : new String[] {"CO", "O"}) {
            Pin out = c.pin(outName);
            if (out == null) {
                continue;
            }
            boolean co = outName.equals("CO");
            for (int k = 0; k < out.bits().length; k++) {
                int ob = out.bits()[k];
                for (String ci : new String[] {"CI", "CYINIT", "CI_TOP"}) {
                    Pin p = c.pin(ci);
                    if (p != null) {
                        for (int b : p.bits()) {
                            s.arc(b, ob, co ? d.carryCiToCo() : d.carryCiToO(), true);
                        }
                    }
                }
                for (Pin p : new Pin[] {sPin, di}) {
                    if (p == null) {
                        continue;
                    }
                    for (int j = 0; j <= k && j < p.bits().length; j++) {
                        s.arc(p.bits()[j], ob, d.carryFromS(), true);
                    }
                }
            }
        }
    }

    private void flipFlop(Cell c, Sink s) {
        for (Pin p : c.pins()) {
            if (CLOCK_PINS.contains(p.name())) {
                continue;
            }
            double setup = switch (p.name()) {
                case "D" -> d.ffSetupD();
                case "CE", "E" -> d.ffSetupCe();
                default -> d.ffSetupSr();
            };
            for (int b : p.bits()) {
                if (p.output()) {
                    s.start(b, d.ffClockToQ());
                } else {
                    s.end(b, setup);
                }
            }
        }
    }

    /** RAMB18E1/RAMB36E1/RAMB18E2/RAMB36E2: outputs start with or without the output register. */
    private void bram(Cell c, Sink s) {
        boolean regA = c.param("DOA_REG", 0) != 0;
        boolean regB = c.param("DOB_REG", 0) != 0;
        for (Pin p : c.pins()) {
            String n = p.name();
            if (CLOCK_PINS.contains(n) || n.startsWith("CAS")) {
                continue;
            }
            if (p.output()) {
                boolean portB = n.startsWith("DOB") || n.startsWith("DOPB") || n.startsWith("DOUTB") || n.startsWith("DOUTPB");
                boolean reg = portB ? regB : regA;
                for (int b : p.bits()) {
                    s.start(b, reg ? d.bramClockToOutReg() : d.bramClockToOut());
                }
            } else {
                double setup = n.startsWith("ADDR") ? d.bramSetupAddr()
                        : (n.startsWith("DI") || n.startsWith("DIN")) ? d.bramSetupData() : d.bramSetupCtrl();
                for (int b : p.bits()) {
                    s.end(b, setup);
                }
            }
        }
    }

    private void uram(Cell c, Sink s) {
        boolean regA = "TRUE".equals(c.text("OREG_A", "FALSE"));
        boolean regB = "TRUE".equals(c.text("OREG_B", "FALSE"));
        for (Pin p : c.pins()) {
            if (CLOCK_PINS.contains(p.name()) || p.name().startsWith("CAS")) {
                continue;
            }
            boolean reg = p.name().endsWith("_B") ? regB : regA;
            for (int b : p.bits()) {
                if (p.output()) {
                    s.start(b, reg ? d.uramClockToOutReg() : d.uramClockToOut());
                } else {
                    s.end(b, d.uramSetup());
                }
            }
        }
    }

    /**
     * DSP48E1/DSP48E2. Multiplier inputs (A, B, D and their cascades) pass the input register (if
     * any), then the multiplier to MREG, else through the ALU to PREG, else to the P pins; C,
     * OPMODE, ALUMODE, CARRYIN and PCIN enter at the ALU.
     */
    private void dsp(Cell c, Sink s) {
        boolean mult = !"NONE".equals(c.text("USE_MULT", "MULTIPLY"));
        boolean mreg = mult && c.param("MREG", 1) != 0;
        boolean preg = c.param("PREG", 1) != 0;
        int[] outs = outputs(c, "P", "PCOUT", "CARRYOUT", "CARRYCASCOUT", "PATTERNDETECT", "PATTERNBDETECT", "OVERFLOW",
                "UNDERFLOW", "MULTSIGNOUT", "XOROUT");
        // what starts at the P pins
        if (preg) {
            for (int b : outs) {
                s.start(b, d.dspPClockToOut());
            }
        } else if (mreg) {
            for (int b : outs) {
                s.start(b, d.dspMToOut());
            }
        }
        if (mreg && preg) {
            s.internal(d.dspMToP(), "DSP MREG to PREG");
        }
        for (Pin p : c.pins()) {
            if (p.output() || CLOCK_PINS.contains(p.name())) {
                continue;
            }
            String n = p.name();
            if (n.startsWith("CE") || n.startsWith("RST")) {
                for (int b : p.bits()) {
                    s.end(b, d.dspSetupCtrl());
                }
                continue;
            }
            boolean multIn = mult && (n.equals("A") || n.equals("B") || n.equals("D") || n.equals("ACIN") || n.equals("BCIN")
                    || n.equals("INMODE"));
            boolean cascade = n.equals("PCIN") || n.equals("CARRYCASCIN") || n.equals("MULTSIGNIN");
            boolean inReg = inputRegistered(c, n);
            // the pre-adder (A or ACIN with D) and its register ADREG stand between A/D and the multiplier
            boolean preAdd = "TRUE".equals(c.text("USE_DPORT", "FALSE")) && (n.equals("A") || n.equals("ACIN") || n.equals("D"));
            boolean adreg = preAdd && c.param("ADREG", 1) != 0;
            if (multIn && adreg) {
                for (int b : p.bits()) {
                    s.end(b, inReg ? d.dspSetupInputReg() : d.dspInToAd());
                }
                if (inReg) {
                    s.internal(d.dspInToAd(), "DSP input register to ADREG");
                }
                if (mreg) {
                    s.internal(d.dspInRegToM(), "DSP ADREG to MREG");
                } else if (preg) {
                    s.internal(d.dspInRegToP(), "DSP ADREG to PREG");
                } else {
                    for (int b : outs) {
                        s.start(b, d.dspInRegToOut());
                    }
                }
            } else if (multIn) {
                // without ADREG the pre-adder adds its delay in front of the multiplier
                double pre = preAdd ? d.dspInToAd() - d.dspSetupInputReg() : 0;
                if (inReg) {
                    for (int b : p.bits()) {
                        s.end(b, d.dspSetupInputReg());
                    }
                    if (mreg) {
                        s.internal(d.dspInRegToM() + pre, "DSP input register to MREG");
                    } else if (preg) {
                        s.internal(d.dspInRegToP() + pre, "DSP input register to PREG");
                    } else {
                        for (int b : outs) {
                            s.start(b, d.dspInRegToOut() + pre);
                        }
                    }
                } else if (mreg) {
                    for (int b : p.bits()) {
                        s.end(b, d.dspInToM() + pre);
                    }
                } else if (preg) {
                    for (int b : p.bits()) {
                        s.end(b, d.dspInToP() + pre);
                    }
                } else {
                    for (int b : p.bits()) {
                        for (int o : outs) {
                            s.arc(b, o, d.dspInToOut() + pre, true);
                        }
                    }
                }
            } else {
                // ALU inputs: C, A:B when the multiplier is unused, OPMODE, ALUMODE, CARRYIN*, PCIN
                if (inReg) {
                    for (int b : p.bits()) {
                        s.end(b, d.dspSetupInputReg());
                    }
                    if (preg) {
                        s.internal(d.dspCRegToP(), "DSP input register to PREG");
                    } else {
                        for (int b : outs) {
                            s.start(b, d.dspCRegToP() + d.dspPClockToOut());
                        }
                    }
                } else if (preg) {
                    for (int b : p.bits()) {
                        s.end(b, cascade ? d.dspCascadeToP() : d.dspCToP());
                    }
                } else {
                    for (int b : p.bits()) {
                        for (int o : outs) {
                            s.arc(b, o, cascade ? d.dspCascadeToOut() : d.dspCToOut(), true);
                        }
                    }
                }
            }
        }
        // ACOUT/BCOUT carry the (registered) A/B onwards to the next slice's ACIN/BCIN
        for (String casc : new String[] {"ACOUT", "BCOUT"}) {
            Pin out = c.pin(casc);
            if (out == null) {
                continue;
            }
            String src = casc.substring(0, 1);
            if (inputRegistered(c, src)) {
                for (int b : out.bits()) {
                    s.start(b, d.ffClockToQ());
                }
            } else {
                Pin in = c.pin(src);
                if (in != null) {
                    for (int ib : in.bits()) {
                        for (int ob : out.bits()) {
                            s.arc(ib, ob, d.lut(), false);
                        }
                    }
                }
            }
        }
    }

    private static boolean inputRegistered(Cell c, String pin) {
        return switch (pin) {
            case "A", "ACIN" -> c.param("AREG", 1) != 0;
            case "B", "BCIN" -> c.param("BREG", 1) != 0;
            case "C" -> c.param("CREG", 1) != 0;
            case "D" -> c.param("DREG", 1) != 0;
            case "OPMODE" -> c.param("OPMODEREG", 1) != 0;
            case "ALUMODE" -> c.param("ALUMODEREG", 1) != 0;
            case "CARRYIN" -> c.param("CARRYINREG", 1) != 0;
            case "CARRYINSEL" -> c.param("CARRYINSELREG", 1) != 0;
            case "INMODE" -> c.param("INMODEREG", 1) != 0;
            default -> false;
        };
    }

    private static int[] outputs(Cell c, String... names) {
        int n = 0;
        for (String name : names) {
            Pin p = c.pin(name);
            if (p != null && p.output()) {
                n += p.bits().length;
            }
        }
        int[] out = new int[n];
        int i = 0;
        for (String name : names) {
            Pin p = c.pin(name);
            if (p != null && p.output()) {
                for (int b : p.bits()) {
                    out[i++] = b;
                }
            }
        }
        return out;
    }

    /** Distributed RAM: asynchronous read (address to data), synchronous write. */
    private void lutram(Cell c, Sink s) {
        for (Pin p : c.pins()) {
            if (p.output() || CLOCK_PINS.contains(p.name())) {
                continue;
            }
            String n = p.name();
            boolean addr = n.startsWith("A") || n.startsWith("DPRA");
            for (int b : p.bits()) {
                s.end(b, d.lutramSetup());
                if (addr) {
                    for (Pin out : c.pins()) {
                        if (out.output()) {
                            for (int ob : out.bits()) {
                                s.arc(b, ob, d.lutramRead(), true);
                            }
                        }
                    }
                }
            }
        }
        for (Pin out : c.pins()) {
            if (out.output()) {
                for (int ob : out.bits()) {
                    s.start(ob, d.lutramClockToOut());
                }
            }
        }
    }

    /** Shift register LUT: address to Q combinational, data clocked in. */
    private void srl(Cell c, Sink s) {
        for (Pin p : c.pins()) {
            if (p.output() || CLOCK_PINS.contains(p.name())) {
                continue;
            }
            boolean addr = p.name().startsWith("A");
            for (int b : p.bits()) {
                if (addr) {
                    for (Pin out : c.pins()) {
                        if (out.output() && out.name().equals("Q")) {
                            for (int ob : out.bits()) {
                                s.arc(b, ob, d.lutramRead(), true);
                            }
                        }
                    }
                } else {
                    s.end(b, d.lutramSetup());
                }
            }
        }
        for (Pin out : c.pins()) {
            if (out.output()) {
                for (int ob : out.bits()) {
                    s.start(ob, d.srlClockToOut());
                }
            }
        }
    }
}
