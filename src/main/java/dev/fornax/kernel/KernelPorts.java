package dev.fornax.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The ports of {@code fornax_kernel}, grouped into the bus interfaces Vitis and the Vivado IP
 * packager see: one list from which the kernel's Verilog port list, the IP-XACT component, the
 * Vitis kernel.xml, the block-design script and the simulation harness's bindings are all written.
 *
 * <p>Interfaces: {@code ap_clk} (clock), {@code ap_rst_n} (synchronous active-low reset),
 * {@code interrupt} (active-high level), {@code s_axi_control} (AXI4-Lite slave, the register map
 * of {@link RegisterMap}), {@code m_axi_io} (AXI4 master, 32-bit data: prompt reads, output and
 * logits writes), {@code m_axi_w<i>} (AXI4 read masters of the weight regions) and, for designs
 * with the KV cache in DRAM, {@code m_axi_kv}. Every AXI address is 64 bits.
 *
 * @param interfaces the bus interfaces in port-list order
 */
public record KernelPorts(List<Interface> interfaces) {
    public static final String MODULE = "fornax_kernel";
    public static final String CLOCK = "ap_clk";
    public static final String RESET = "ap_rst_n";
    public static final String INTERRUPT = "interrupt";
    public static final String CONTROL = "s_axi_control";
    public static final String IO = "m_axi_io";
    public static final int ADDR_WIDTH = 64;
    public static final int IO_DATA_WIDTH = 32;
    public static final int CONTROL_DATA_WIDTH = 32;

    /** What a bus interface is. */
    public enum Kind {
        CLOCK, RESET, INTERRUPT, AXI4LITE_SLAVE, AXI4_MASTER, AXI4_READ_MASTER;

        public boolean axi() {
            return this == AXI4LITE_SLAVE || this == AXI4_MASTER || this == AXI4_READ_MASTER;
        }
    }

    /**
     * One port.
     *
     * @param name    the Verilog port name
     * @param signal  the AXI signal name it carries (e.g. "ARADDR"), or the interface's own name
     * @param output  direction seen from the kernel
     * @param width   bits
     */
    public record Port(String name, String signal, boolean output, int width) {}

    /**
     * A bus interface.
     *
     * @param name      the interface (and port prefix) name
     * @param kind      what it is
     * @param dataWidth AXI data width (0 for the others)
     * @param addrWidth AXI address width (0 for the others)
     * @param ports     its ports
     * @param doc       what it carries
     */
    public record Interface(String name, Kind kind, int dataWidth, int addrWidth, List<Port> ports, String doc) {
        public Interface {
            ports = List.copyOf(ports);
        }

        public boolean readOnly() {
            return kind == Kind.AXI4_READ_MASTER;
        }
    }

    /** AXI4 signals (without the prefix), in declaration order: name, master-to-slave, width (0: data, -1: strobe). */
    private record Sig(String name, boolean fromMaster, int width) {}

    private static final List<Sig> AW = List.of(new Sig("awaddr", true, -2), new Sig("awlen", true, 8),
            new Sig("awsize", true, 3), new Sig("awburst", true, 2), new Sig("awlock", true, 1),
            new Sig("awcache", true, 4), new Sig("awprot", true, 3), new Sig("awqos", true, 4),
            new Sig("awvalid", true, 1), new Sig("awready", false, 1));
    private static final List<Sig> W = List.of(new Sig("wdata", true, 0), new Sig("wstrb", true, -1),
            new Sig("wlast", true, 1), new Sig("wvalid", true, 1), new Sig("wready", false, 1));
    private static final List<Sig> B = List.of(new Sig("bresp", false, 2), new Sig("bvalid", false, 1),
            new Sig("bready", true, 1));
    private static final List<Sig> AR = List.of(new Sig("araddr", true, -2), new Sig("arlen", true, 8),
            new Sig("arsize", true, 3), new Sig("arburst", true, 2), new Sig("arlock", true, 1),
            new Sig("arcache", true, 4), new Sig("arprot", true, 3), new Sig("arqos", true, 4),
            new Sig("arvalid", true, 1), new Sig("arready", false, 1));
    private static final List<Sig> R = List.of(new Sig("rdata", false, 0), new Sig("rresp", false, 2),
            new Sig("rlast", false, 1), new Sig("rvalid", false, 1), new Sig("rready", true, 1));
    /** The weight ports carry the IDs of the top's contract (one ID, in-order data). */
    private static final List<Sig> AR_ID = List.of(new Sig("arid", true, 1));
    private static final List<Sig> R_ID = List.of(new Sig("rid", false, 1));
    private static final List<Sig> LITE = List.of(new Sig("awaddr", true, -2), new Sig("awvalid", true, 1),
            new Sig("awready", false, 1), new Sig("wdata", true, 0), new Sig("wstrb", true, -1),
            new Sig("wvalid", true, 1), new Sig("wready", false, 1), new Sig("bresp", false, 2),
            new Sig("bvalid", false, 1), new Sig("bready", true, 1), new Sig("araddr", true, -2),
            new Sig("arvalid", true, 1), new Sig("arready", false, 1), new Sig("rdata", false, 0),
            new Sig("rresp", false, 2), new Sig("rvalid", false, 1), new Sig("rready", true, 1));

    /**
     * The kernel of a design.
     *
     * @param weightPorts   AXI read ports of the weight image (0 for on-chip weights)
     * @param weightWidth   their data width in bits
     * @param kvPort        whether the design keeps its KV cache in DRAM (an m_axi_kv master)
     * @param kvWidth       the KV port's data width in bits
     */
    public static KernelPorts of(int weightPorts, int weightWidth, boolean kvPort, int kvWidth) {
        List<Interface> all = new ArrayList<>();
        all.add(new Interface(CLOCK, Kind.CLOCK, 0, 0, List.of(new Port(CLOCK, "CLK", false, 1)), "the kernel clock"));
        all.add(new Interface(RESET, Kind.RESET, 0, 0, List.of(new Port(RESET, "RST", false, 1)),
                "synchronous reset, active low"));
        all.add(new Interface(INTERRUPT, Kind.INTERRUPT, 0, 0, List.of(new Port(INTERRUPT, "INTERRUPT", true, 1)),
                "active-high level interrupt: GIE and ISR != 0"));
        all.add(axi(CONTROL, Kind.AXI4LITE_SLAVE, CONTROL_DATA_WIDTH, RegisterMap.ADDR_WIDTH, LITE,
                "AXI4-Lite control slave: the register map (docs/HARDWARE.md)"));
        List<Sig> io = new ArrayList<>(AW);
        io.addAll(W);
        io.addAll(B);
        io.addAll(AR);
        io.addAll(R);
        all.add(axi(IO, Kind.AXI4_MASTER, IO_DATA_WIDTH, ADDR_WIDTH, io,
                "AXI4 master: reads the prompt ids, writes the generated ids and the logits"));
        for (int i = 0; i < weightPorts; i++) {
            all.add(axi(weightInterface(i), Kind.AXI4_READ_MASTER, weightWidth, ADDR_WIDTH, readWithIds(),
                    "AXI4 read master of weight region " + i));
        }
        if (kvPort) {
            List<Sig> kv = new ArrayList<>(AW);
            kv.addAll(W);
            kv.addAll(B);
            kv.addAll(readWithIds());
            all.add(axi("m_axi_kv", Kind.AXI4_MASTER, kvWidth, ADDR_WIDTH, kv, "AXI4 master of the KV cache"));
        }
        return new KernelPorts(all);
    }

    public static String weightInterface(int i) {
        return "m_axi_w" + i;
    }

    private static List<Sig> readWithIds() {
        List<Sig> r = new ArrayList<>(AR.subList(0, 4));
        r.addAll(AR_ID);
        r.addAll(AR.subList(4, AR.size()));
        r.add(R.get(0));
        r.add(R.get(1));
        r.add(R.get(2));
        r.addAll(R_ID);
        r.addAll(R.subList(3, R.size()));
        return r;
    }

    private static Interface axi(String name, Kind kind, int dw, int aw, List<Sig> sigs, String doc) {
        boolean slave = kind == Kind.AXI4LITE_SLAVE;
        List<Port> ports = new ArrayList<>();
        for (Sig g : sigs) {
            int w = g.width() == 0 ? dw : g.width() == -1 ? dw / 8 : g.width() == -2 ? aw : g.width();
            ports.add(new Port(name + "_" + g.name(), g.name().toUpperCase(java.util.Locale.ROOT),
                    slave != g.fromMaster(), w));
        }
        return new Interface(name, kind, dw, aw, ports, doc);
    }

    public Interface get(String name) {
        for (Interface i : interfaces) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no interface " + name);
    }

    /** Every port, in declaration order. */
    public List<Port> ports() {
        List<Port> out = new ArrayList<>();
        interfaces.forEach(i -> out.addAll(i.ports()));
        return out;
    }

    /** The AXI interfaces (the ones the IP-XACT component and kernel.xml list as bus interfaces). */
    public List<Interface> axiInterfaces() {
        return interfaces.stream().filter(i -> i.kind().axi()).toList();
    }

    /** The AXI masters (io, weights, KV). */
    public List<Interface> masters() {
        return interfaces.stream().filter(i -> i.kind() == Kind.AXI4_MASTER || i.kind() == Kind.AXI4_READ_MASTER)
                .toList();
    }
}
