package dev.fornax.vendor;

import dev.fornax.FornaxException;
import dev.fornax.kernel.KernelPorts;
import dev.fornax.rtl.perf.Board;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the vendor files of {@code compile --board NAME} into the design directory: vivado/ (AMD
 * boards), vitis/ (Alveo), quartus/ (every board) and fornax.core (FuseSoC). docs/HARDWARE.md,
 * "Vendor files", lists them and the steps that use them.
 */
public final class VendorFiles {
    private VendorFiles() {}

    /**
     * @param coreRtl    the core's sources (fornax_top and below), for the FuseSoC Icarus target
     * @param benchFiles the kernel harness files (tb/fornax_kernel_*)
     * @param driver     the driver files (driver/...)
     * @param icarusTb   the core testbench files (tb/fornax_tb.v, tb/fornax_tb_config.vh)
     * @param memFiles   every file under mem/ (relative)
     * @return the files written, relative to the design directory, sorted
     */
    public static List<String> write(Path dir, VendorDesign d, List<String> coreRtl, List<String> benchFiles,
            List<String> driver, List<String> icarusTb, List<String> memFiles) {
        List<String> out = new ArrayList<>();
        try {
            Board b = d.board();
            if (b.flow().amd()) {
                Path v = dir.resolve("vivado");
                Files.createDirectories(v.resolve("xgui"));
                Files.createDirectories(v.resolve("coe"));
                put(dir, out, "vivado/component.xml", IpXact.componentXml(d));
                put(dir, out, "vivado/" + IpXact.XGUI, IpXact.xgui());
                put(dir, out, "vivado/fornax_kernel.xdc", Vivado.xdc(d));
                put(dir, out, "vivado/project.tcl", Vivado.project(d));
                put(dir, out, "vivado/package_ip.tcl", Vivado.packageIp(d));
                String bd = Vivado.blockDesign(d);
                if (bd != null) {
                    put(dir, out, "vivado/bd.tcl", bd);
                    put(dir, out, "vivado/build.tcl", Vivado.build(d));
                }
                if (b.flow() == Board.Flow.ZYNQ_MPSOC) {
                    put(dir, out, "vivado/fornax_overlay.dtsi", Vivado.overlay(d, bufferBytes(dir, d)));
                }
                for (String m : d.roms()) {
                    String f = "vivado/coe/" + VendorDesign.stem(m) + ".coe";
                    MemFormats.coe(dir.resolve(m), m, dir.resolve(f));
                    out.add(f);
                }
            }
            if (b.flow() == Board.Flow.ALVEO) {
                Files.createDirectories(dir.resolve("vitis"));
                put(dir, out, "vitis/kernel.xml", Vitis.kernelXml(d));
                put(dir, out, "vitis/package_xo.tcl", Vitis.packageXo(d));
                put(dir, out, "vitis/connectivity.cfg", Vitis.connectivity(d));
            }
            Files.createDirectories(dir.resolve("quartus").resolve("mif"));
            put(dir, out, "quartus/fornax_kernel.tcl", Quartus.project(d));
            put(dir, out, "quartus/fornax_kernel.sdc", Quartus.sdc(d));
            for (String m : d.roms()) {
                String f = "quartus/mif/" + VendorDesign.stem(m) + ".mif";
                MemFormats.mif(dir.resolve(m), m, dir.resolve(f));
                out.add(f);
            }
            List<String> driverC = driver.stream().filter(f -> f.endsWith("/fornax_driver.c")).toList();
            List<String> driverH = driver.stream().filter(f -> f.endsWith("fornax_driver.h") || f.endsWith("fornax_regs.h"))
                    .toList();
            put(dir, out, "fornax.core", FuseSoc.core(d, coreRtl, benchFiles, driverC, driverH, icarusTb, memFiles));
        } catch (IOException e) {
            throw new FornaxException("cannot write the vendor files into " + dir + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** The u-dma-buf a Zynq host needs: the images (4 KB aligned), prompt, output and logits rows, in whole MiB. */
    static long bufferBytes(Path dir, VendorDesign d) throws IOException {
        long n = 0;
        for (String i : d.images()) {
            n += (Files.size(dir.resolve(i)) + 4095) / 4096 * 4096;
        }
        n += 4L * 4096 * 4096;   // prompt, output and a few logit rows of headroom
        long mib = 1L << 20;
        return Math.max(16 * mib, (n + mib - 1) / mib * mib);
    }

    private static void put(Path dir, List<String> out, String rel, String text) throws IOException {
        Files.writeString(dir.resolve(rel), text, StandardCharsets.UTF_8);
        out.add(rel);
    }

    /** manifest.json "vendor": the board, the clock, where each master goes, the files. */
    public static Map<String, Object> manifest(VendorDesign d, List<String> files, Map<String, Object> fit) {
        Map<String, Object> m = new TreeMap<>();
        m.put("board", d.board().id());
        m.put("part", d.board().part());
        m.put("flow", d.board().flow().cliName());
        m.put("platform", d.board().platform());
        m.put("clock_hz", d.clockHz());
        m.put("placement", d.placement());
        m.put("ip_vlnv", d.vlnv());
        m.put("files", files);
        m.put("fit", fit);
        return m;
    }

    /**
     * Where each AXI master goes: weights port i on the board's port i (wrapping), m_axi_io on the port after
     * the weights' (the last one on HBM cards, away from the weight channels), KV after that.
     */
    public static Map<String, String> placement(Board b, KernelPorts ports) {
        Map<String, String> p = new TreeMap<>();
        if (b.ports().isEmpty()) {
            for (KernelPorts.Interface m : ports.masters()) {
                p.put(m.name(), "unconnected");
            }
            return p;
        }
        Board.Port port = b.ports().get(0);
        int n = port.count();
        int w = 0;
        for (KernelPorts.Interface m : ports.masters()) {
            if (m.name().startsWith("m_axi_w")) {
                p.put(m.name(), port.name(w % n));
                w++;
            }
        }
        boolean hbm = port.names().startsWith("HBM");
        p.put(KernelPorts.IO, port.name(hbm ? n - 1 : w % n));
        for (KernelPorts.Interface m : ports.masters()) {
            if (m.name().equals("m_axi_kv")) {
                p.put(m.name(), port.name(hbm ? n - 2 : (w + 1) % n));
            }
        }
        return p;
    }
}
