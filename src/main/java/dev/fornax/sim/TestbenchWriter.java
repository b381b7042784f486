package dev.fornax.sim;

import dev.fornax.FornaxException;
import dev.fornax.rtl.AxiSignals;
import dev.fornax.rtl.DesignInfo;
import dev.fornax.rtl.DramRegion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a compiled design's simulation harness: DIR/tb/ (a Verilator C++ harness and an Icarus
 * Verilog testbench with the same behaviour, plus their generated config headers) and DIR/Makefile
 * ({@code make sim}, {@code make lint}, {@code make iverilog}: an engineer's replay without Java).
 * The harness sources are fixed resource files; only the two small headers and the Makefile carry
 * design values. Deterministic: the same design gives byte-identical files.
 */
public final class TestbenchWriter {
    private static final String RESOURCE_DIR = "/tb/";

    private TestbenchWriter() {}

    public static void write(DesignInfo design, Path dir) {
        validate(design, dir);
        Path tb = dir.resolve("tb");
        try {
            Files.createDirectories(tb);
            writeAtomically(tb.resolve("fornax_harness.cpp"), resource("fornax_harness.cpp"));
            writeAtomically(tb.resolve("fornax_tb.v"), resource("fornax_tb.v"));
            Image image = image(design, dir);
            writeAtomically(tb.resolve("fornax_config.h"), cppConfig(design, image));
            writeAtomically(tb.resolve("fornax_tb_config.vh"), verilogConfig(design, image));
            writeAtomically(dir.resolve("Makefile"), MakefileText.of(design));
        } catch (IOException e) {
            throw new FornaxException("cannot write the testbench into " + dir + ": " + e.getMessage(), e);
        }
    }

    static void validate(DesignInfo d, Path dir) {
        if (d.vocab() < 1) {
            throw new FornaxException("design vocab must be positive, got " + d.vocab());
        }
        int needed = Math.max(1, 32 - Integer.numberOfLeadingZeros(d.vocab() - 1));
        if (d.tokenWidth() < needed || d.tokenWidth() > 32) {
            throw new FornaxException("design tokenWidth " + d.tokenWidth() + " cannot hold " + d.vocab() + " token ids");
        }
        if (!d.top().matches("[A-Za-z_][A-Za-z0-9_$]*")) {
            throw new FornaxException("design top '" + d.top() + "' is not a Verilog module name");
        }
        if (d.rtlFiles().isEmpty()) {
            throw new FornaxException("design lists no RTL files");
        }
        for (String f : d.rtlFiles()) {
            if (f.contains(" ")) {
                throw new FornaxException("RTL file name '" + f + "' contains a space (the Makefile cannot hold it)");
            }
        }
        switch (d.weights()) {
            case "rom" -> { }
            case "dram" -> {
                int w = d.axiDataWidth();
                if (w < 8 || w > 1024 || Integer.bitCount(w) != 1) {
                    throw new FornaxException("design axiDataWidth " + w + " is not a power of two in 8..1024");
                }
                if (d.axiAddrWidth() < 1 || d.axiAddrWidth() > 64) {
                    throw new FornaxException("design axiAddrWidth " + d.axiAddrWidth() + " is not in 1..64");
                }
                if (d.dramImage() == null) {
                    throw new FornaxException("dram-mode design names no DRAM image");
                }
            }
            default -> throw new FornaxException("design weights must be rom or dram, got '" + d.weights() + "'");
        }
    }

    static boolean dram(DesignInfo d) {
        return d.weights().equals("dram");
    }

    /**
     * The files of a dram design's image and their sizes, and each read port's region in them: the
     * design's regions, or one region over the whole {@code dramImage} for designs without them.
     */
    record Image(List<String> files, List<Long> fileBytes, List<DramRegion> regions) {
        static final Image NONE = new Image(List.of(), List.of(), List.of());

        int fileOf(DramRegion r) {
            return files.indexOf(r.file());
        }

        long totalBytes() {
            return fileBytes.stream().mapToLong(Long::longValue).sum();
        }

        /** Offset of file f in the concatenation of all files (the Icarus testbench's one byte array). */
        long fileOffset(int f) {
            long o = 0;
            for (int i = 0; i < f; i++) {
                o += fileBytes.get(i);
            }
            return o;
        }
    }

    static Image image(DesignInfo d, Path dir) {
        if (!dram(d)) {
            return Image.NONE;
        }
        List<DramRegion> regions = d.dramRegions();
        if (regions.isEmpty()) {
            regions = List.of(new DramRegion(d.dramImage(), 0, size(dir, d.dramImage())));
        }
        List<String> files = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (DramRegion r : regions) {
            if (!files.contains(r.file())) {
                if (r.file().contains(" ") || r.file().contains("\"") || r.file().contains("\\")) {
                    throw new FornaxException("DRAM image file name '" + r.file() + "' cannot be quoted in the harness");
                }
                files.add(r.file());
                sizes.add(size(dir, r.file()));
            }
            long have = sizes.get(files.indexOf(r.file()));
            if (r.offset() + r.bytes() > have) {
                throw new FornaxException("DRAM region [" + r.offset() + ", " + (r.offset() + r.bytes()) + ") lies beyond "
                        + r.file() + " (" + have + " bytes)");
            }
        }
        return new Image(files, sizes, regions);
    }

    private static long size(Path dir, String file) {
        Path image = dir.resolve(file);
        try {
            return Files.size(image);
        } catch (IOException e) {
            throw new FornaxException("DRAM image " + image + " is missing or unreadable: " + e.getMessage());
        }
    }

    static int maxBurst(DesignInfo d) {
        return d.axiMaxBurst() == 0 ? 256 : d.axiMaxBurst();
    }

    static String cppConfig(DesignInfo d, Image img) {
        StringBuilder s = new StringBuilder();
        s.append("// Generated by fornax for top module ").append(d.top()).append("; read by tb/fornax_harness.cpp.\n");
        s.append("#pragma once\n");
        s.append("#define FORNAX_VOCAB ").append(d.vocab()).append("u\n");
        s.append("#define FORNAX_DRAM ").append(dram(d) ? 1 : 0).append('\n');
        s.append("#define FORNAX_AXI_DW ").append(d.axiDataWidth()).append('\n');
        s.append("#define FORNAX_AXI_MAX_OUTSTANDING ").append(HarnessFlags.AXI_MAX_OUTSTANDING).append("u\n");
        if (!dram(d)) {
            s.append("#define FORNAX_AXI_PORTS 0\n");
            return s.toString();
        }
        List<DramRegion> regions = img.regions();
        s.append("#define FORNAX_AXI_PORTS ").append(regions.size()).append('\n');
        s.append("#define FORNAX_AXI_MAX_BURST ").append(maxBurst(d)).append("u\n");
        s.append("#define FORNAX_AXI_PORT_STRIDE_LOG2 ").append(HarnessFlags.AXI_PORT_STRIDE_LOG2).append('\n');
        s.append("// the image's files (relative to the design) and their sizes; each port's region in them\n");
        s.append("#define FORNAX_FILES {");
        for (int f = 0; f < img.files().size(); f++) {
            s.append(f == 0 ? "" : ", ").append('"').append(img.files().get(f)).append('"');
        }
        s.append("}\n#define FORNAX_FILE_BYTES {");
        for (int f = 0; f < img.files().size(); f++) {
            s.append(f == 0 ? "" : ", ").append(img.fileBytes().get(f)).append("ull");
        }
        s.append("}\n#define FORNAX_REGION_FILE {");
        for (int i = 0; i < regions.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(img.fileOf(regions.get(i)));
        }
        s.append("}\n#define FORNAX_REGION_OFFSETS {");
        for (int i = 0; i < regions.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(regions.get(i).offset()).append("ull");
        }
        s.append("}\n#define FORNAX_REGION_BYTES {");
        for (int i = 0; i < regions.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(regions.get(i).bytes()).append("ull");
        }
        s.append("}\n// binds port i's signals (dev.fornax.rtl.AxiSignals) to ports[i].io\n");
        s.append("#define FORNAX_BIND_PORTS(ports, top)");
        for (int i = 0; i < regions.size(); i++) {
            for (AxiSignals.Signal g : AxiSignals.READ) {
                s.append(" \\\n    ports[").append(i).append("].io.").append(g.name()).append(" = &top->")
                        .append(AxiSignals.prefix(i)).append(g.name()).append(';');
            }
            s.append(" \\\n    ports[").append(i).append("].io.base = &top->").append(AxiSignals.base(i)).append(';');
        }
        s.append('\n');
        return s.toString();
    }

    static String verilogConfig(DesignInfo d, Image img) {
        StringBuilder s = new StringBuilder();
        s.append("// Generated by fornax; read by tb/fornax_tb.v.\n");
        s.append("`define FORNAX_TOP ").append(d.top()).append('\n');
        // the token ports' tdata width: the id bits rounded up to whole bytes (AXI4-Stream)
        s.append("`define FORNAX_TOK_W ").append((d.tokenWidth() + 7) / 8 * 8).append('\n');
        s.append("`define FORNAX_VOCAB ").append(d.vocab()).append('\n');
        if (dram(d)) {
            List<DramRegion> regions = img.regions();
            s.append("`define FORNAX_DRAM\n");
            s.append("`define FORNAX_AXI_DW ").append(d.axiDataWidth()).append('\n');
            s.append("`define FORNAX_AXI_AW ").append(d.axiAddrWidth()).append('\n');
            s.append("`define FORNAX_DRAM_BYTES ").append(img.totalBytes()).append('\n');
            s.append("`define FORNAX_AXI_MAX_OUTSTANDING ").append(HarnessFlags.AXI_MAX_OUTSTANDING).append('\n');
            s.append("`define FORNAX_AXI_PORTS ").append(regions.size()).append('\n');
            s.append("`define FORNAX_AXI_MAX_BURST ").append(maxBurst(d)).append('\n');
            s.append("`define FORNAX_AXI_PORT_STRIDE_LOG2 ").append(HarnessFlags.AXI_PORT_STRIDE_LOG2).append('\n');
            s.append("`define FORNAX_FILES ").append(img.files().size()).append('\n');
            s.append("// the image's files, one after the other in the testbench's byte array\n");
            s.append("`define FORNAX_FILE_INIT");
            for (int f = 0; f < img.files().size(); f++) {
                s.append(" \\\n    file_name[").append(f).append("] = \"").append(img.files().get(f))
                        .append("\"; file_off[").append(f).append("] = 64'd").append(img.fileOffset(f))
                        .append("; file_bytes[").append(f).append("] = 64'd").append(img.fileBytes().get(f)).append(';');
            }
            s.append("\n`define FORNAX_REGIONS");
            for (int i = 0; i < regions.size(); i++) {
                DramRegion r = regions.get(i);
                s.append(" \\\n    region_off[").append(i).append("] = 64'd")
                        .append(img.fileOffset(img.fileOf(r)) + r.offset()).append("; region_bytes[").append(i)
                        .append("] = 64'd").append(r.bytes()).append(';');
            }
            s.append("\n// port i's signals (dev.fornax.rtl.AxiSignals) on slice i of the testbench's packed vectors\n");
            s.append("`define FORNAX_AXI_CONNECT");
            for (int i = 0; i < regions.size(); i++) {
                for (AxiSignals.Signal g : AxiSignals.READ) {
                    int w = g.width(d.axiDataWidth());
                    s.append(" \\\n    .").append(AxiSignals.prefix(i)).append(g.name()).append('(').append(g.name())
                            .append('[').append(i * w).append(" +: ").append(w).append("]),");
                }
                s.append(" \\\n    .").append(AxiSignals.base(i)).append("(base[").append(i * 64).append(" +: 64]),");
            }
            s.append('\n');
        }
        return s.toString();
    }

    static String resource(String name) {
        return resourceAt(RESOURCE_DIR + name);
    }

    static String resourceAt(String path) {
        try (InputStream in = TestbenchWriter.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The harness and testbench sources, for the build cache's content hash. */
    static List<String> harnessSources() {
        return List.of(resource("fornax_harness.cpp"), resource("fornax_tb.v"));
    }

    static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
