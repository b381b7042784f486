package dev.fornax.rtl;

import java.util.List;

/**
 * What a compiled design exposes to its testbench, simulator runner and manifest: the contract
 * between the RTL generator ({@code dev.fornax.rtl}) and simulation ({@code dev.fornax.sim}).
 * Paths are relative to the compile output directory.
 *
 * @param top            top module name
 * @param rtlFiles       RTL sources in compile order (e.g. "rtl/fornax_mac_array.v")
 * @param includeDirs    directories to pass as include paths (may be empty)
 * @param tokenWidth     width of token ids: max(1, ceil(log2 vocab))
 * @param vocab          logits per position
 * @param context        KV cache positions; tokens beyond it raise overflow
 * @param lanes          INT8 MACs per cycle
 * @param weights        "rom" or "dram"
 * @param axiDataWidth   AXI4 read data width in bits (dram mode; 0 in rom mode)
 * @param axiAddrWidth   AXI4 address width in bits (dram mode; 0 in rom mode)
 * @param dramImage      DRAM image file (dram mode), else null
 * @param memFiles       memory initialisation files the design reads ($readmemh .mem files and
 *                       their binary twins), relative paths
 * @param dramRegions    dram mode: the image's region per AXI read port m_axi_w&lt;i&gt; (their number is
 *                       the number of ports); empty means one port reading the whole image
 * @param axiMaxBurst    dram mode: the longest read burst the design issues, in beats (0: the AXI4
 *                       limit, 256)
 */
public record DesignInfo(
        String top,
        List<String> rtlFiles,
        List<String> includeDirs,
        int tokenWidth,
        int vocab,
        int context,
        int lanes,
        String weights,
        int axiDataWidth,
        int axiAddrWidth,
        String dramImage,
        List<String> memFiles,
        List<DramRegion> dramRegions,
        int axiMaxBurst) {

    public DesignInfo {
        rtlFiles = List.copyOf(rtlFiles);
        includeDirs = List.copyOf(includeDirs);
        memFiles = List.copyOf(memFiles);
        dramRegions = List.copyOf(dramRegions);
    }

    /** A design with one AXI read port over its whole image (or none, in rom mode). */
    public DesignInfo(String top, List<String> rtlFiles, List<String> includeDirs, int tokenWidth, int vocab, int context,
            int lanes, String weights, int axiDataWidth, int axiAddrWidth, String dramImage, List<String> memFiles) {
        this(top, rtlFiles, includeDirs, tokenWidth, vocab, context, lanes, weights, axiDataWidth, axiAddrWidth, dramImage,
                memFiles, List.of(), 0);
    }
}
