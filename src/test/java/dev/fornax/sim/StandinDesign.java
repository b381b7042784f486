package dev.fornax.sim;

import dev.fornax.rtl.AxiSignals;
import dev.fornax.rtl.DesignInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A design directory around the behavioural stand-in core (test resources, standin/): a top
 * wrapper with the ports of docs/HARDWARE.md, a random DRAM image in dram mode, and the expected
 * logits computed independently here from the formula documented in fornax_standin_core.v.
 */
public final class StandinDesign {
    static final int ROW_STRIDE = 128;
    /** The stand-in's read bursts, in beats (its declared longest burst). */
    static final int BURST = 4;

    public final Path dir;
    public final DesignInfo info;
    final byte[] image;
    final int vocab;

    private StandinDesign(Path dir, DesignInfo info, byte[] image, int vocab) {
        this.dir = dir;
        this.info = info;
        this.image = image;
        this.vocab = vocab;
    }

    /**
     * @param bug 0 for a correct core; 1 puts tlast on the wrong index; 2 changes tdata while
     *            valid && !ready (see the core's BUG parameter)
     */
    public static StandinDesign create(Path dir, int vocab, int context, boolean dram, int axiDataWidth, int bug) {
        int tokW = Math.max(1, 32 - Integer.numberOfLeadingZeros(vocab - 1));
        try {
            Files.createDirectories(dir.resolve("rtl"));
            try (InputStream in = StandinDesign.class.getResourceAsStream("/standin/fornax_standin_core.v")) {
                Files.write(dir.resolve("rtl/fornax_standin_core.v"), in.readAllBytes());
            }
            String params = "#(.VOCAB(" + vocab + "), .TOK_W(" + tokW + "), .CONTEXT(" + context + "), .DRAM("
                    + (dram ? 1 : 0) + "), .AXI_DW(" + axiDataWidth + "), .AXI_AW(64), .ROW_STRIDE(" + ROW_STRIDE
                    + "), .BURST(" + BURST + "), .BUG(" + bug + "))";
            StringBuilder top = new StringBuilder();
            top.append("module standin_top (\n")
                    .append("    input wire clk, input wire rst,\n")
                    .append("    input wire s_tok_tvalid, output wire s_tok_tready, input wire [").append(tokW - 1)
                    .append(":0] s_tok_tdata, input wire s_tok_tuser,\n")
                    .append("    output wire m_logit_tvalid, input wire m_logit_tready, output wire [31:0] m_logit_tdata, output wire m_logit_tlast,\n")
                    .append("    output wire m_pred_tvalid, input wire m_pred_tready, output wire [").append(tokW - 1)
                    .append(":0] m_pred_tdata,\n")
                    .append("    output wire overflow");
            if (dram) {
                top.append(",\n    input wire [63:0] w0_base");
                for (AxiSignals.Signal g : AxiSignals.READ) {
                    int w = g.width(axiDataWidth);
                    top.append(",\n    ").append(g.output() ? "output" : "input").append(" wire ")
                            .append(w == 1 ? "" : "[" + (w - 1) + ":0] ").append("m_axi_w0_").append(g.name());
                }
                top.append(",\n    output wire axi_error, output wire [7:0] axi_error_code, output wire perf_matrix");
            }
            top.append(");\n");
            if (!dram) {
                top.append("    /* verilator lint_off UNUSEDSIGNAL */\n")
                        .append("    wire [63:0] araddr; wire [7:0] arlen; wire [2:0] arsize, arprot; wire [1:0] arburst;\n")
                        .append("    wire [3:0] arcache, arqos; wire [7:0] err_code; wire arid, arlock, arvalid, rready, pmatrix, err;\n")
                        .append("    /* verilator lint_on UNUSEDSIGNAL */\n");
            }
            top.append("    fornax_standin_core ").append(params).append(" core (\n")
                    .append("        .clk(clk), .rst(rst), .s_tok_tvalid(s_tok_tvalid), .s_tok_tready(s_tok_tready), .s_tok_tdata(s_tok_tdata),\n")
                    .append("        .s_tok_tuser(s_tok_tuser), .m_logit_tvalid(m_logit_tvalid), .m_logit_tready(m_logit_tready),\n")
                    .append("        .m_logit_tdata(m_logit_tdata), .m_logit_tlast(m_logit_tlast), .m_pred_tvalid(m_pred_tvalid),\n")
                    .append("        .m_pred_tready(m_pred_tready), .m_pred_tdata(m_pred_tdata), .overflow(overflow),\n");
            if (dram) {
                top.append("        .base(w0_base),\n        ");
                for (AxiSignals.Signal g : AxiSignals.READ) {
                    top.append(".m_axi_").append(g.name()).append("(m_axi_w0_").append(g.name()).append("), ");
                }
                top.append("\n        .axi_error(axi_error), .axi_error_code(axi_error_code), .perf_matrix(perf_matrix));\n");
            } else {
                top.append("        .base(64'd0), .m_axi_araddr(araddr), .m_axi_arlen(arlen), .m_axi_arsize(arsize), .m_axi_arburst(arburst),\n")
                        .append("        .m_axi_arid(arid), .m_axi_arprot(arprot), .m_axi_arcache(arcache), .m_axi_arqos(arqos), .m_axi_arlock(arlock),\n")
                        .append("        .m_axi_arvalid(arvalid), .m_axi_arready(1'b0), .m_axi_rdata({").append(axiDataWidth)
                        .append("{1'b0}}), .m_axi_rresp(2'b00), .m_axi_rid(1'b0),\n")
                        .append("        .m_axi_rlast(1'b0), .m_axi_rvalid(1'b0), .m_axi_rready(rready), .axi_error(err), .axi_error_code(err_code),\n")
                        .append("        .perf_matrix(pmatrix));\n");
            }
            top.append("endmodule\n");
            Files.writeString(dir.resolve("rtl/standin_top.v"), top.toString());
            byte[] image = new byte[0];
            if (dram) {
                Files.createDirectories(dir.resolve("mem"));
                image = new byte[vocab * ROW_STRIDE];
                new Random(vocab * 31L + axiDataWidth).nextBytes(image);
                Files.write(dir.resolve("mem/dram.bin"), image);
            }
            DesignInfo info = new DesignInfo("standin_top", List.of("rtl/fornax_standin_core.v", "rtl/standin_top.v"), List.of(),
                    tokW, vocab, context, 16, dram ? "dram" : "rom", dram ? axiDataWidth : 0, dram ? 64 : 0,
                    dram ? "mem/dram.bin" : null, dram ? List.of("mem/dram.bin") : List.of(), List.of(), BURST);
            TestbenchWriter.write(info, dir);
            return new StandinDesign(dir, info, image, vocab);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes manifest.json with the design keys of dev.fornax.rtl's manifest and model.source, so
     * fornax verify can run on the stand-in (its golden model then is the real source model).
     */
    public void writeManifest(Path modelSource) {
        java.util.Map<String, Object> m = new java.util.TreeMap<>();
        m.put("top", info.top());
        m.put("rtl", info.rtlFiles());
        m.put("include_dirs", info.includeDirs());
        m.put("token_width", info.tokenWidth());
        m.put("vocab", info.vocab());
        m.put("context", info.context());
        m.put("lanes", info.lanes());
        m.put("weights", info.weights());
        m.put("axi_data_width", info.axiDataWidth());
        m.put("axi_addr_width", info.axiAddrWidth());
        m.put("dram_image", info.dramImage());
        m.put("mem_files", info.memFiles());
        m.put("model", java.util.Map.of("source", modelSource.toAbsolutePath().toString()));
        // as the compiler does: the SHA-256 of every file, which verify checks before it builds anything
        java.util.Map<String, String> hashes = new java.util.TreeMap<>();
        java.util.Map<String, Long> sizes = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(f).toString();
                if (!rel.equals("manifest.json")) {
                    hashes.put(rel, DesignFiles.sha256(f));
                    sizes.put(rel, Files.size(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        m.put("sha256", hashes);
        m.put("file_bytes", sizes);
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().writeValue(dir.resolve("manifest.json").toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stand-in's logits for token t at position p (the formula in fornax_standin_core.v). */
    public int[] expectedLogits(int token, int pos) {
        int[] l = new int[vocab];
        for (int i = 0; i < vocab; i++) {
            int mix = i * 0x9E3779B1 + token * 40503 + pos * 977;
            l[i] = (mix >> 27) * 65536;
            if (image.length > 0) {
                l[i] += image[token * ROW_STRIDE + i] * 256;
            }
        }
        return l;
    }

    static int argmax(int[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
