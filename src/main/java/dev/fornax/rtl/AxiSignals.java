package dev.fornax.rtl;

import java.util.List;

/**
 * The top's AXI4 read ports (docs/HARDWARE.md), in one place: the generated top declares them from
 * this list and the simulation harness binds them from it. Port i's signals are
 * {@code m_axi_w<i>_<name>} plus its region's base address input {@code w<i>_base}.
 */
public final class AxiSignals {
    private AxiSignals() {}

    /** Address width of every AXI port at the top. */
    public static final int ADDR_WIDTH = 64;
    /** ID width: one ID per port (the read data returns in order). */
    public static final int ID_WIDTH = 1;

    /**
     * One signal of a read port.
     *
     * @param width bits; 0 stands for the port's data width
     */
    public record Signal(String name, boolean output, int width) {
        public int width(int dataWidth) {
            return width == 0 ? dataWidth : width;
        }
    }

    /** The read address and read data channels, AXI4 names, in declaration order. */
    public static final List<Signal> READ = List.of(
            new Signal("araddr", true, ADDR_WIDTH),
            new Signal("arlen", true, 8),
            new Signal("arsize", true, 3),
            new Signal("arburst", true, 2),
            new Signal("arid", true, ID_WIDTH),
            new Signal("arprot", true, 3),
            new Signal("arcache", true, 4),
            new Signal("arqos", true, 4),
            new Signal("arlock", true, 1),
            new Signal("arvalid", true, 1),
            new Signal("arready", false, 1),
            new Signal("rdata", false, 0),
            new Signal("rresp", false, 2),
            new Signal("rlast", false, 1),
            new Signal("rid", false, ID_WIDTH),
            new Signal("rvalid", false, 1),
            new Signal("rready", true, 1));

    public static String prefix(int port) {
        return "m_axi_w" + port + "_";
    }

    /** The 64-bit input holding the DRAM address of port i's region. */
    public static String base(int port) {
        return "w" + port + "_base";
    }
}
