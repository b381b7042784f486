package dev.fornax.vendor;

import dev.fornax.kernel.KernelPorts;
import dev.fornax.kernel.RegisterMap;
import dev.fornax.rtl.perf.Board;
import java.util.List;

/**
 * What the vendor files of one design need: the board, the kernel's ports, its sources and memory
 * files (relative to the design directory), the clock, and where each AXI master goes.
 *
 * @param name        the model's name (comments, the FuseSoC core name)
 * @param board       the board preset
 * @param clockHz     the kernel clock the constraints ask for
 * @param ports       the kernel's bus interfaces
 * @param rtl         Verilog sources in compile order (relative to the design directory)
 * @param includes    Verilog include files (relative)
 * @param roms        the $readmemh files the design's ROMs load (relative), each also written as .coe and .mif
 * @param images      the DRAM image of each weight port (relative), loaded by the host
 * @param placement   the memory resource of each AXI master, by interface name (Vitis: "HBM[0]", "DDR[1]";
 *                    Zynq: the PS port, "S_AXI_HP0_FPD")
 * @param weightPorts kernel weight read ports
 * @param kvPort      whether the kernel has an m_axi_kv master
 */
public record VendorDesign(String name, Board board, double clockHz, KernelPorts ports, List<String> rtl,
        List<String> includes, List<String> roms, List<String> images, java.util.Map<String, String> placement,
        int weightPorts, boolean kvPort) {

    public VendorDesign {
        rtl = List.copyOf(rtl);
        includes = List.copyOf(includes);
        roms = List.copyOf(roms);
        images = List.copyOf(images);
        placement = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(placement));
    }

    public static final String VENDOR = "fornax.dev";
    public static final String LIBRARY = "fornax";
    public static final String VERSION = "1.0";

    public String vlnv() {
        return VENDOR + ":" + LIBRARY + ":" + KernelPorts.MODULE + ":" + VERSION;
    }

    public double clockPeriodNs() {
        return 1e9 / clockHz;
    }

    public List<RegisterMap.KernelArg> kernelArgs() {
        return RegisterMap.kernelArgs(weightPorts, kvPort);
    }

    /** The file name of a design file without its directory ("mem/gain.mem" is "gain.mem"). */
    static String baseName(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }

    /** "gain.mem" is "gain". */
    static String stem(String path) {
        String b = baseName(path);
        int i = b.lastIndexOf('.');
        return i < 0 ? b : b.substring(0, i);
    }
}
