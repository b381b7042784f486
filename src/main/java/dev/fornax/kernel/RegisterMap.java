package dev.fornax.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The register map of {@code fornax_kernel}'s AXI4-Lite slave {@code s_axi_control}, defined once:
 * the Verilog include the hand-written control RTL decodes ({@link #verilogInclude}), the C header
 * of the host driver ({@link #cHeader}), the Vitis kernel arguments and the table in
 * docs/HARDWARE.md ({@link #markdown}) are all generated from this list, and a simulation test
 * reads and writes every register of it through the RTL.
 *
 * <p>Registers are 32-bit words at byte offsets; a 64-bit value takes two words, the low half first.
 * The layout follows the Vitis {@code ap_ctrl_hs} convention: control at 0x00, global and per-source
 * interrupt enable and status at 0x04-0x0C, kernel arguments from 0x10.
 */
public final class RegisterMap {
    private RegisterMap() {}

    /** Byte address bits of s_axi_control (a 4 KB window). */
    public static final int ADDR_WIDTH = 12;
    /** The most weight ports a design can have: one per HBM pseudo-channel of the U280/U55C. */
    public static final int MAX_WEIGHT_PORTS = 32;
    /** Identifies the kernel: "FXK1" in ASCII. */
    public static final long MAGIC = 0x46584B31L;
    /** Bumped whenever an offset or a field's meaning changes. */
    public static final int VERSION = 1;
    /** An EOS slot holding this value matches no token. */
    public static final long NO_EOS = 0xFFFFFFFFL;
    /** How many end-of-sequence ids the kernel compares against. */
    public static final int EOS_SLOTS = 4;

    /** How software may access a register or a field. */
    public enum Access {
        RW("read/write"),
        RO("read-only"),
        COR("read-only, cleared when AP_CTRL is read"),
        TOW("read; writing 1 toggles the bit"),
        CONST("read-only design constant");

        public final String text;

        Access(String text) {
            this.text = text;
        }
    }

    /** A bit field of a register. */
    public record Field(String name, int bit, int width, Access access, String doc) {}

    /**
     * A register (or an array of equal registers at a fixed stride).
     *
     * @param name    upper-case name (an array's elements: {@link #elementName})
     * @param offset  byte offset of the first (or only) element
     * @param bits    32 or 64
     * @param count   elements (1 for a plain register)
     * @param stride  bytes between elements
     * @param access  the register's access (fields may refine it)
     * @param reset   reset value, or -1 when it is a design constant named by {@code constant}
     * @param constant the design constant a CONST register holds (a key of {@link #designConstants}), or null
     * @param arg     Vitis kernel argument name (elements: name + i), or null for status registers
     * @param argPort the AXI master an address argument points into, or null for scalars
     * @param fields  bit fields (empty: the whole register is one value)
     * @param doc     what it means
     */
    public record Register(String name, int offset, int bits, int count, int stride, Access access, long reset,
            String constant, String arg, String argPort, List<Field> fields, String doc) {
        public Register {
            fields = List.copyOf(fields);
        }

        /** Element i's name: W_BASE's are W0_BASE, W1_BASE, ...; EOS_ID's are EOS_ID0, EOS_ID1, ... */
        public String elementName(int i) {
            if (count == 1) {
                return name;
            }
            return name.equals("W_BASE") ? "W" + i + "_BASE" : name + i;
        }

        public int elementOffset(int i) {
            return offset + i * stride;
        }

        public int words() {
            return bits / 32;
        }

        /** Bytes the register (all elements) spans. */
        public int span() {
            return (count - 1) * stride + bits / 8;
        }
    }

    private static Register reg(String name, int offset, Access a, long reset, String doc, Field... fields) {
        return new Register(name, offset, 32, 1, 4, a, reset, null, null, null, List.of(fields), doc);
    }

    private static Register status(String name, int offset, int bits, String doc, Field... fields) {
        return new Register(name, offset, bits, 1, bits / 8, Access.RO, 0, null, null, null, List.of(fields), doc);
    }

    private static Register constant(String name, int offset, String constant, String doc) {
        return new Register(name, offset, 32, 1, 4, Access.CONST, -1, constant, null, null, List.of(), doc);
    }

    private static Register addressArg(String name, int offset, String arg, String port, String doc) {
        return new Register(name, offset, 64, 1, 8, Access.RW, 0, null, arg, port, List.of(), doc);
    }

    private static Register scalarArg(String name, int offset, String arg, long reset, String doc, Field... fields) {
        return new Register(name, offset, 32, 1, 4, Access.RW, reset, null, arg, null, List.of(fields), doc);
    }

    /** STOP_REASON values. */
    public static final int STOP_NONE = 0;
    public static final int STOP_LENGTH = 1;
    public static final int STOP_EOS = 2;
    public static final int STOP_CONTEXT = 3;
    public static final int STOP_ERROR = 4;

    public static final List<Register> REGISTERS = List.of(
            reg("AP_CTRL", 0x000, Access.RW, 0x4, "Vitis ap_ctrl_hs control",
                    new Field("AP_START", 0, 1, Access.RW, "write 1 to start a run; stays 1 while it runs, cleared by the"
                            + " kernel when the run ends (with AP_READY) unless AUTO_RESTART is set"),
                    new Field("AP_DONE", 1, 1, Access.COR, "a run has ended (set with the done interrupt)"),
                    new Field("AP_IDLE", 2, 1, Access.RO, "no run in progress"),
                    new Field("AP_READY", 3, 1, Access.COR, "the kernel can take new arguments (set with AP_DONE)"),
                    new Field("AUTO_RESTART", 7, 1, Access.RW, "start the next run as soon as one ends, with the"
                            + " argument registers as they are then")),
            reg("GIE", 0x004, Access.RW, 0, "global interrupt enable",
                    new Field("ENABLE", 0, 1, Access.RW, "the `interrupt` output is GIE.ENABLE and (ISR != 0)")),
            reg("IER", 0x008, Access.RW, 0, "interrupt enable, per source",
                    new Field("DONE", 0, 1, Access.RW, "ISR.DONE is set when a run ends"),
                    new Field("READY", 1, 1, Access.RW, "ISR.READY is set when the kernel becomes ready"),
                    new Field("ERROR", 2, 1, Access.RW, "ISR.ERROR is set when a run ends with ERROR != 0")),
            reg("ISR", 0x00C, Access.TOW, 0, "interrupt status, per source (write 1 to clear a set bit)",
                    new Field("DONE", 0, 1, Access.TOW, "a run ended"),
                    new Field("READY", 1, 1, Access.TOW, "the kernel became ready"),
                    new Field("ERROR", 2, 1, Access.TOW, "a run ended with an error")),
            addressArg("PROMPT_ADDR", 0x010, "prompt", "m_axi_io",
                    "device address of the prompt: PROMPT_LEN token ids, one little-endian u32 each (4-byte aligned)"),
            addressArg("OUTPUT_ADDR", 0x018, "output", "m_axi_io",
                    "device address of the output: generated token k (0-based) is written as a u32 at +4k (4-byte aligned)"),
            addressArg("LOGITS_ADDR", 0x020, "logits", "m_axi_io",
                    "with FLAGS.WRITE_LOGITS: position p's VOCAB logits (int32, Q16) at +4*VOCAB*p, every position"
                            + " computed (prompt positions included) (4-byte aligned)"),
            addressArg("KV_ADDR", 0x028, "kv", "m_axi_kv",
                    "device address of the KV cache region (designs compiled with the KV cache in DRAM; 4 KB aligned)"),
            scalarArg("PROMPT_LEN", 0x030, "prompt_len", 0, "prompt tokens to read from PROMPT_ADDR (at least 1)"),
            scalarArg("MAX_NEW", 0x034, "max_new", 0, "the most tokens to generate (0: only the prompt positions run)"),
            scalarArg("FLAGS", 0x038, "flags", 0, "run options",
                    new Field("IGNORE_EOS", 0, 1, Access.RW, "keep generating after an end-of-sequence id"),
                    new Field("WRITE_LOGITS", 1, 1, Access.RW, "write every position's logits to LOGITS_ADDR")),
            new Register("EOS_ID", 0x040, 32, EOS_SLOTS, 4, Access.RW, NO_EOS, null, "eos", null, List.of(),
                    "end-of-sequence ids (an id equal to any slot ends the run, and is written); 0xFFFFFFFF: unused slot"),
            new Register("W_BASE", 0x080, 64, MAX_WEIGHT_PORTS, 8, Access.RW, 0, null, "w", null, List.of(),
                    "device address of weight region i, read through m_axi_w<i> (4 KB aligned; elements past"
                            + " WEIGHT_PORTS read 0 and ignore writes; keep them unchanged while a run is in progress)"),
            status("TOKENS", 0x200, 32, "tokens generated (and written) by the current or last run"),
            status("STOP_REASON", 0x204, 32, "why the last run ended: 0 none yet / running, 1 LENGTH (MAX_NEW"
                    + " reached), 2 EOS, 3 CONTEXT (the KV cache is full; ERROR.KV_OVERFLOW), 4 ERROR (see ERROR)"),
            status("ERROR", 0x208, 32, "error bits of the current or last run (cleared at start)",
                    new Field("AXI_READ", 0, 1, Access.RO, "a read response was SLVERR/DECERR (weights, KV cache or prompt)"),
                    new Field("AXI_WRITE", 1, 1, Access.RO, "a write response was SLVERR/DECERR (output or logits)"),
                    new Field("KV_OVERFLOW", 2, 1, Access.RO, "the next position would exceed the KV cache (CONTEXT)"),
                    new Field("BAD_TOKEN", 3, 1, Access.RO, "a prompt id is not below VOCAB"),
                    new Field("BAD_ARG", 4, 1, Access.RO, "PROMPT_LEN is 0, or an address is misaligned")),
            status("ERROR_INFO", 0x20C, 32, "details of the first errors",
                    new Field("CORE_CODE", 0, 8, Access.RO, "the core's axi_error_code (docs/HARDWARE.md)"),
                    new Field("IO_RRESP", 8, 2, Access.RO, "the first bad read response on m_axi_io"),
                    new Field("IO_BRESP", 10, 2, Access.RO, "the first bad write response on m_axi_io"),
                    new Field("W_RRESP", 12, 2, Access.RO, "the first bad read response on a weight or KV port"),
                    new Field("INDEX", 16, 16, Access.RO, "BAD_TOKEN: the prompt index of the bad id")),
            status("CYCLES", 0x210, 64, "clock cycles of the current or last run, start to done (read LO, then HI)"),
            status("WEIGHT_BEATS", 0x218, 64, "AXI read data beats accepted on the weight and KV ports (read LO, then HI)"),
            status("MATRIX_CYCLES", 0x220, 64, "cycles the matrix engine streamed weights (the core's perf_matrix; 0 in designs"
                    + " with the weights on chip, whose top has no perf_matrix; read LO, then HI)"),
            status("IO_BEATS", 0x228, 64, "AXI read and write data beats on m_axi_io (read LO, then HI)"),
            status("POSITIONS", 0x230, 32, "positions the core computed in the current or last run"),
            constant("MAGIC", 0x300, "MAGIC", "0x46584B31 (\"FXK1\"): this is a Fornax kernel"),
            constant("VERSION", 0x304, "VERSION", "register map version (" + VERSION + ")"),
            constant("VOCAB", 0x308, "VOCAB", "logits per position"),
            constant("CONTEXT", 0x30C, "CONTEXT", "KV cache positions"),
            constant("WEIGHT_PORTS", 0x310, "WEIGHT_PORTS", "AXI weight read ports m_axi_w<i> (0: weights on chip)"),
            constant("FEATURES", 0x314, "FEATURES", "bit 0: weights in DRAM, bit 1: KV cache in DRAM"),
            constant("LANES", 0x318, "LANES", "INT8 MACs per cycle"),
            constant("DESIGN_ID", 0x31C, "DESIGN_ID", "the first 32 bits of the design's weight-image SHA-256"
                    + " (manifest.json kernel.design_id): checks that the loaded images belong to this bitstream"));

    /** The design constants CONST registers hold, in the order the Verilog parameters list them. */
    public static final List<String> DESIGN_CONSTANTS = List.of("VOCAB", "CONTEXT", "WEIGHT_PORTS", "FEATURES", "LANES",
            "DESIGN_ID");

    /** The register named {@code name}. */
    public static Register get(String name) {
        for (Register r : REGISTERS) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no register " + name);
    }

    /** The value a register element holds after reset in a design with these constants. */
    public static long resetValue(Register r, Map<String, Long> design) {
        if (r.access() != Access.CONST) {
            return r.reset();
        }
        return switch (r.constant()) {
            case "MAGIC" -> MAGIC;
            case "VERSION" -> VERSION;
            default -> {
                Long v = design.get(r.constant());
                if (v == null) {
                    throw new IllegalArgumentException("design constant " + r.constant() + " not given");
                }
                yield v;
            }
        };
    }

    /**
     * The bits software can write and read back: all 32 of a plain RW register, the RW fields of one
     * with fields, none of the others (AP_CTRL.AP_START starts a run; ISR toggles).
     */
    public static long writableMask(Register r) {
        if (r.access() != Access.RW) {
            return 0;
        }
        if (r.fields().isEmpty()) {
            return 0xFFFFFFFFL;
        }
        long m = 0;
        for (Field f : r.fields()) {
            if (f.access() == Access.RW) {
                m |= ((1L << f.width()) - 1) << f.bit();
            }
        }
        return m;
    }

    // ---- generated views ----

    private static final String HEADER_NOTE = "Generated by fornax from dev.fornax.kernel.RegisterMap (register map version "
            + VERSION + "); do not edit.";

    /**
     * Verilog macros for the control RTL (an include-guarded header, so both control modules may
     * include it): `FX_&lt;REG&gt; byte offsets (ADDR_WIDTH bits), `FX_&lt;REG&gt;_W word indices, `FX_&lt;REG&gt;_&lt;FIELD&gt; bit positions,
     * `FX_&lt;REG&gt;_RESET for registers that do not reset to 0, `FX_&lt;REG&gt;_COUNT / _STRIDE for arrays,
     * `FX_MAGIC_VALUE, `FX_VERSION_VALUE and the `FX_STOP_&lt;REASON&gt; codes.
     */
    public static String verilogInclude() {
        StringBuilder v = new StringBuilder();
        v.append("// ").append(HEADER_NOTE).append('\n');
        v.append("// The register map of fornax_kernel's s_axi_control (docs/HARDWARE.md).\n");
        v.append("`ifndef FORNAX_KERNEL_REGS_VH\n`define FORNAX_KERNEL_REGS_VH\n");
        v.append("`define FX_ADDR_W ").append(ADDR_WIDTH).append('\n');
        v.append("`define FX_MAGIC_VALUE 32'h").append(hex8(MAGIC)).append('\n');
        v.append("`define FX_VERSION_VALUE 32'd").append(VERSION).append('\n');
        for (String k : new String[] {"NONE", "LENGTH", "EOS", "CONTEXT", "ERROR"}) {
            v.append("`define FX_STOP_").append(k).append(" 3'd").append(stopCode(k)).append('\n');
        }
        for (Register r : REGISTERS) {
            v.append("`define FX_").append(r.name()).append(' ').append(ADDR_WIDTH).append("'h")
                    .append(String.format(Locale.ROOT, "%03X", r.offset()));
            v.append("  // ").append(r.bits()).append("-bit ").append(r.access().name()).append('\n');
            v.append("`define FX_").append(r.name()).append("_W ").append(ADDR_WIDTH - 2).append("'d")
                    .append(r.offset() / 4).append("  // word index\n");
            if (r.count() > 1) {
                v.append("`define FX_").append(r.name()).append("_COUNT ").append(r.count()).append('\n');
                v.append("`define FX_").append(r.name()).append("_STRIDE ").append(r.stride()).append('\n');
            }
            if (r.access() != Access.CONST && r.reset() != 0) {
                v.append("`define FX_").append(r.name()).append("_RESET 32'h").append(hex8(r.reset())).append('\n');
            }
            for (Field f : r.fields()) {
                v.append("`define FX_").append(r.name()).append('_').append(f.name()).append(' ').append(f.bit());
                if (f.width() > 1) {
                    v.append("  // ").append(f.width()).append(" bits");
                }
                v.append('\n');
            }
        }
        v.append("`endif\n");
        return v.toString();
    }

    static int stopCode(String k) {
        return switch (k) {
            case "NONE" -> STOP_NONE;
            case "LENGTH" -> STOP_LENGTH;
            case "EOS" -> STOP_EOS;
            case "CONTEXT" -> STOP_CONTEXT;
            case "ERROR" -> STOP_ERROR;
            default -> throw new IllegalArgumentException(k);
        };
    }

    /** The C header of the driver: FORNAX_REG_&lt;REG&gt; offsets, _LO/_HI words, field masks and shifts. */
    public static String cHeader() {
        StringBuilder c = new StringBuilder();
        c.append("/* ").append(HEADER_NOTE).append(" */\n");
        c.append("/* The register map of fornax_kernel's AXI4-Lite slave s_axi_control (docs/HARDWARE.md). */\n");
        c.append("#ifndef FORNAX_REGS_H\n#define FORNAX_REGS_H\n\n");
        c.append("#define FORNAX_REGS_VERSION ").append(VERSION).append("u\n");
        c.append("#define FORNAX_REGS_ADDR_WIDTH ").append(ADDR_WIDTH).append("u\n");
        c.append("#define FORNAX_REGS_MAGIC 0x").append(hex8(MAGIC)).append("u\n");
        c.append("#define FORNAX_REGS_MAX_WEIGHT_PORTS ").append(MAX_WEIGHT_PORTS).append("u\n");
        c.append("#define FORNAX_REGS_EOS_SLOTS ").append(EOS_SLOTS).append("u\n");
        c.append("#define FORNAX_REGS_NO_EOS 0x").append(hex8(NO_EOS)).append("u\n\n");
        for (String k : new String[] {"NONE", "LENGTH", "EOS", "CONTEXT", "ERROR"}) {
            c.append("#define FORNAX_STOP_").append(k).append(' ').append(stopCode(k)).append("u\n");
        }
        c.append('\n');
        for (Register r : REGISTERS) {
            c.append("/* ").append(r.name()).append(": ").append(cComment(r.doc())).append(" (").append(r.access().text)
                    .append(") */\n");
            String base = "FORNAX_REG_" + r.name();
            c.append("#define ").append(base).append(" 0x").append(String.format(Locale.ROOT, "%03X", r.offset()))
                    .append("u\n");
            if (r.count() > 1) {
                c.append("#define ").append(base).append("_COUNT ").append(r.count()).append("u\n");
                c.append("#define ").append(base).append("_STRIDE ").append(r.stride()).append("u\n");
                c.append("#define ").append(base).append("_AT(i) (").append(base).append(" + (unsigned)(i) * ")
                        .append(base).append("_STRIDE)\n");
            }
            if (r.bits() == 64) {
                c.append("#define ").append(base).append("_LO 0x").append(String.format(Locale.ROOT, "%03X", r.offset()))
                        .append("u\n");
                c.append("#define ").append(base).append("_HI 0x")
                        .append(String.format(Locale.ROOT, "%03X", r.offset() + 4)).append("u\n");
            }
            if (r.access() != Access.CONST && r.reset() != 0) {
                c.append("#define ").append(base).append("_RESET 0x").append(hex8(r.reset())).append("u\n");
            }
            for (Field f : r.fields()) {
                String fn = "FORNAX_" + r.name() + "_" + f.name();
                long mask = ((1L << f.width()) - 1) << f.bit();
                c.append("#define ").append(fn).append("_SHIFT ").append(f.bit()).append("u\n");
                c.append("#define ").append(fn).append(" 0x").append(hex8(mask)).append("u /* ").append(cComment(f.doc()))
                        .append(" */\n");
            }
            c.append('\n');
        }
        c.append("#endif /* FORNAX_REGS_H */\n");
        return c.toString();
    }

    /** The docs/HARDWARE.md register table. */
    public static String markdown() {
        StringBuilder m = new StringBuilder();
        m.append("| offset | register | bits | access | reset | meaning |\n");
        m.append("|---|---|---|---|---|---|\n");
        for (Register r : REGISTERS) {
            String off = String.format(Locale.ROOT, "0x%03X", r.offset());
            String name = r.name();
            if (r.count() > 1) {
                off += String.format(Locale.ROOT, " + %d·i", r.stride());
                name = (r.name().equals("W_BASE") ? "W<i>_BASE" : r.name() + "<i>") + ", i < " + r.count();
            }
            String reset = r.access() == Access.CONST ? (r.constant().equals("MAGIC") ? "0x" + hex8(MAGIC)
                    : r.constant().equals("VERSION") ? Integer.toString(VERSION) : "design") : "0x" + Long.toHexString(r.reset());
            StringBuilder doc = new StringBuilder(mdEscape(r.doc()));
            if (r.arg() != null) {
                doc.append(" (kernel argument `").append(r.count() > 1 ? r.arg() + "<i>" : r.arg()).append('`')
                        .append(r.argPort() != null ? " on `" + r.argPort() + "`"
                                : r.name().equals("W_BASE") ? " on `m_axi_w<i>`" : "")
                        .append(')');
            }
            for (Field f : r.fields()) {
                doc.append(f.width() > 1 ? "; bits " + (f.bit() + f.width() - 1) + ":" + f.bit() : "; bit " + f.bit()).append(' ')
                        .append(f.name()).append(f.access() != r.access() ? " (" + f.access().name() + ")" : "").append(": ")
                        .append(mdEscape(f.doc()));
            }
            m.append("| ").append(off).append(" | ").append(mdEscape(name)).append(" | ").append(r.bits()).append(" | ")
                    .append(r.access().name()).append(" | ").append(reset).append(" | ").append(doc).append(" |\n");
        }
        return m.toString();
    }

    /** Kernel arguments in register order (arrays expanded up to {@code weightPorts} / EOS slots). */
    public static List<KernelArg> kernelArgs(int weightPorts, boolean kvPort) {
        List<KernelArg> out = new ArrayList<>();
        for (Register r : REGISTERS) {
            if (r.arg() == null) {
                continue;
            }
            if (r.name().equals("KV_ADDR") && !kvPort) {
                continue;
            }
            int n = r.name().equals("W_BASE") ? weightPorts : r.count();
            for (int i = 0; i < n; i++) {
                String port = r.name().equals("W_BASE") ? "m_axi_w" + i : r.argPort();
                out.add(new KernelArg(r.count() > 1 ? r.arg() + i : r.arg(), r.elementOffset(i), r.bits() / 8, port));
            }
        }
        return out;
    }

    /**
     * One Vitis kernel argument.
     *
     * @param port the AXI master it points into, or null for a scalar
     */
    public record KernelArg(String name, int offset, int bytes, String port) {}

    private static String hex8(long v) {
        return String.format(Locale.ROOT, "%08X", v);
    }

    private static String cComment(String s) {
        return s.replace("*/", "* /").replace("`", "");
    }

    private static String mdEscape(String s) {
        return s.replace("|", "\\|").replace("<i>", "&lt;i&gt;");
    }
}
