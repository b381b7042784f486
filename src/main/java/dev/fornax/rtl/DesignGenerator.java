package dev.fornax.rtl;

import dev.fornax.FornaxException;
import dev.fornax.golden.Tables;
import dev.fornax.engine.Parallel;
import dev.fornax.io.DiskSpace;
import dev.fornax.io.IoErrors;
import dev.fornax.io.OutputTargets;
import dev.fornax.io.Scratch;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.ModelWeights;
import dev.fornax.kernel.DriverWriter;
import dev.fornax.vendor.BoardPlan;
import dev.fornax.vendor.VendorDesign;
import dev.fornax.vendor.VendorFiles;
import dev.fornax.kernel.KernelPorts;
import dev.fornax.kernel.KernelWriter;
import dev.fornax.kernel.RegisterMap;
import dev.fornax.quant.Quantizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a compiled design: rtl/ (library modules copied from resources + the generated top),
 * mem/ (program, weights, constants, tables) and manifest.json, into a temporary sibling that is
 * renamed into place. Deterministic: same model and options give byte-identical files.
 */
public final class DesignGenerator {
    private DesignGenerator() {}

    /** The hand-written library, in compile order (fornax_fn.vh is an include). */
    public static final List<String> LIBRARY = List.of(
            "fornax_rom.v", "fornax_ram.v", "fornax_maxbits.v", "fornax_requant.v", "fornax_activate.v", "fornax_mac_array.v",
            "fornax_matvec.v", "fornax_rmsnorm.v", "fornax_heads.v", "fornax_attention.v", "fornax_glu.v",
            "fornax_embed.v", "fornax_pairmem.v", "fornax_rom_stream.v", "fornax_wsrc_rom.v", "fornax_regq.v",
            "fornax_skid.v", "fornax_gearbox.v", "fornax_axi_fifo.v", "fornax_axi_rport.v", "fornax_wsrc_axi.v",
            "fornax_core.v");
    /** INT4 designs only: the packed weight stream's unpacker (between the core and the weight source). */
    public static final String W4_UNPACK = "fornax_w4_unpack.v";
    public static final String INCLUDE = "fornax_fn.vh";
    /** The includes every library module may use: {@link #INCLUDE} (fixed) and {@link IsaHeader#FILE} (generated). */
    public static final List<String> INCLUDES = List.of(INCLUDE, IsaHeader.FILE);
    public static final String TOP = "fornax_top";

    /**
     * Compile options.
     *
     * @param source       the model's path, recorded in the manifest (model.source) for verify; may be null
     * @param axiDataWidth AXI data width per port for dram mode; 0 picks LANES·8/ports within 64..1024
     * @param axiPorts     AXI read ports for dram mode (a power of two dividing LANES, at most 32)
     * @param axiBurst     longest read burst in beats for dram mode; 0: as long as the 4 KB rule allows
     * @param memLatency   dram mode: the read latency in cycles the read FIFOs are sized for
     */
    public record Options(String modelName, int lanes, int context, String weights, int axiDataWidth,
            String source, int axiPorts, int axiBurst, int memLatency) {
        /** Options with the default AXI data width (LANES bytes per beat, within 64..1024 bits). */
        public Options(String modelName, int lanes, int context, String weights) {
            this(modelName, lanes, context, weights, 0, null);
        }

        public Options(String modelName, int lanes, int context, String weights, int axiDataWidth) {
            this(modelName, lanes, context, weights, axiDataWidth, null);
        }

        /** One AXI port, bursts as long as allowed, FIFOs for {@link AxiPlan#DEFAULT_MEM_LATENCY} cycles. */
        public Options(String modelName, int lanes, int context, String weights, int axiDataWidth, String source) {
            this(modelName, lanes, context, weights, axiDataWidth, source, 1, 0, AxiPlan.DEFAULT_MEM_LATENCY);
        }

        public Options {
            if (lanes < 1 || lanes > 2048 || Integer.bitCount(lanes) != 1) {
                throw new FornaxException("--lanes must be a power of two in 1..2048, got " + lanes);
            }
            if (!weights.equals("rom") && !weights.equals("dram")) {
                throw new FornaxException("--weights must be rom or dram, got " + weights);
            }
            if (axiPorts < 1) {
                throw new FornaxException("--axi-ports must be at least 1, got " + axiPorts);
            }
            if (axiDataWidth == 0) {
                axiDataWidth = Math.max(64, Math.min(1024, lanes * 8 / Math.min(axiPorts, lanes)));
            }
            if (axiDataWidth < 64 || axiDataWidth > 1024 || Integer.bitCount(axiDataWidth) != 1) {
                throw new FornaxException("--axi-width must be a power of two in 64..1024, got " + axiDataWidth);
            }
            if (weights.equals("dram")) {
                new AxiPlan(lanes, axiPorts, axiDataWidth, axiBurst, memLatency); // validates
            }
        }

        /** The read ports of a dram design. */
        public AxiPlan axiPlan() {
            return new AxiPlan(lanes, axiPorts, axiDataWidth, axiBurst, memLatency);
        }
    }

    /** The result: the design contract plus the manifest that was written. */
    public record Result(DesignInfo info, Map<String, Object> manifest) {}

    public static Result generate(RtlModel model, Options o, Path outDir) {
        return generate(model, o, outDir, null);
    }

    /** @param board the board of {@code compile --board} (its vendor files are written), or null */
    public static Result generate(RtlModel model, Options o, Path outDir, BoardPlan board) {
        check(model, o);
        try (Staging st = Staging.begin(outDir)) {
            Layout layout = new Layout(model, o.lanes());
            requireSpace(st.dir(), weightFileBytes(layout.totalBeats(), layout.totalConsts(), o));
            DramImage.Map dmap = null;
            if (o.weights().equals("dram")) {
                dmap = DramImage.write(layout, o.axiPlan(), st.dir());
            } else {
                WeightImage.writeBeats(layout, st.mem().resolve("weights.mem"), st.mem().resolve("weights.bin"));
                WeightImage.writeConsts(layout, st.mem().resolve("consts.mem"), st.mem().resolve("consts.bin"));
            }
            return finish(st, model, o, layout, dmap, board);
        } catch (IOException e) {
            throw new FornaxException("cannot write design to " + outDir + ": " + IoErrors.describe(e), e);
        }
    }

    /**
     * Quantises {@code weights} and compiles them for --weights dram in one pass: every matrix is
     * quantised straight into the DRAM image as its rows are made ({@link DramImage.Stream}), so
     * the heap never holds a weight matrix, float or int8, and writing and hashing the image
     * overlap the quantiser. The design equals {@code generate(RtlModel.from(Quantizer.quantize(
     * weights, context)), o, outDir)} byte for byte.
     */
    public static Result compileStreaming(ModelWeights weights, Options o, Path outDir) {
        return compileStreaming(weights, o, outDir, null);
    }

    /** @param board the board of {@code compile --board} (its vendor files are written), or null */
    public static Result compileStreaming(ModelWeights weights, Options o, Path outDir, BoardPlan board) {
        if (!o.weights().equals("dram")) {
            throw new IllegalArgumentException("streaming compiles write a DRAM image; got --weights " + o.weights());
        }
        RtlModel.requireSupported(weights.spec());
        try (Staging st = Staging.begin(outDir)) {
            requireSpace(st.dir(), weightFileBytes(weights.spec(), o));
            try (DramImage.Stream image = DramImage.stream(st.dir(), weights.spec(), o.axiPlan());
                    Parallel parallel = Parallel.ofAvailableProcessors()) {
                RtlModel model = RtlModel.from(Quantizer.quantize(weights, o.context(), parallel, image));
                check(model, o);
                Layout layout = new Layout(model, o.lanes());
                DramImage.Map dmap = image.finish(layout);
                return finish(st, model, o, layout, dmap, board);
            }
        } catch (IOException e) {
            throw new FornaxException("cannot write design to " + outDir + ": " + IoErrors.describe(e), e);
        }
    }

    /**
     * A design being written: a temporary sibling of the output directory ({@link Scratch}:
     * {@code DIR.tmp-PID-START}), renamed into place by {@link #commit}, deleted when closed without
     * a commit and on SIGINT/SIGTERM (an error or a signal leaves no partial output). Stale
     * temporaries of earlier, killed compiles of the same DIR are reclaimed first.
     */
    static final class Staging implements AutoCloseable {
        private final Scratch scratch;

        private Staging(Scratch scratch) {
            this.scratch = scratch;
        }

        static Staging begin(Path outDir) throws IOException {
            refuseForeign(outDir);
            Scratch.reclaim(outDir, false);
            Scratch s = Scratch.directory(outDir, false);
            try {
                Files.createDirectories(s.path().resolve("rtl"));
                Files.createDirectories(s.path().resolve("mem"));
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            return new Staging(s);
        }

        Path dir() {
            return scratch.path();
        }

        Path mem() {
            return dir().resolve("mem");
        }

        Path rtl() {
            return dir().resolve("rtl");
        }

        void commit() {
            scratch.commit();
        }

        @Override
        public void close() {
            scratch.close();
        }
    }

    /** Everything but the weight files: program, tables, RTL, testbench, manifest; then the rename. */
    private static Result finish(Staging st, RtlModel model, Options o, Layout layout, DramImage.Map dmap,
            BoardPlan board) throws IOException {
        ModelSpec s = model.spec();
        Path tmp = st.dir();
        Path mem = st.mem();
        Path rtl = st.rtl();
        List<Program.Ins> prog = Program.build(model, layout);
        long gainWords = (2L * s.layers() + 1) * s.hidden();
        CoreParams p = CoreParams.of(s, model.score(), o.lanes(), o.context(), prog.size(), gainWords);

        Map<String, String> files = new TreeMap<>();
        files.put("PROG_FILE", "mem/program.mem");
        files.put("GAIN_FILE", "mem/gain.mem");
        files.put("EPS_FILE", "mem/eps.mem");
        files.put("RSQRT_FILE", "mem/rsqrt.mem");
        files.put("EXP2_FILE", "mem/exp2.mem");
        files.put("RECIP_FILE", "mem/recip.mem");
        files.put("GATE_FILE", "mem/gate.mem");
        files.put("COS_FILE", "mem/cos.mem");
        files.put("SIN_FILE", "mem/sin.mem");
        boolean dram = dmap != null;
        files.put("WFILE", "mem/weights.mem");
        files.put("CFILE", "mem/consts.mem");

        Files.writeString(mem.resolve("program.mem"), programHex(prog), StandardCharsets.US_ASCII);
        writeTables(model, o, mem);

        List<String> rtlFiles = new ArrayList<>();
        writeIncludes(rtl);
        for (String f : LIBRARY) {
            copyResource(f, rtl);
            rtlFiles.add("rtl/" + f);
        }
        TopWriter.W4 w4 = null;
        if (layout.groupSize() != 0) { // INT4: the unpacker between the core and the weight source
            copyResource(W4_UNPACK, rtl);
            rtlFiles.add("rtl/" + W4_UNPACK);
            w4 = new TopWriter.W4(o.lanes(), layout.groupSize(), layout.maxBpr());
        }
        String top = dram ? TopWriter.dramTop(o.modelName(), p, files, dmap, w4)
                : TopWriter.romTop(o.modelName(), p, files, layout.totalBeats(), layout.totalConsts(), w4);
        Files.writeString(rtl.resolve(TOP + ".v"), top, StandardCharsets.US_ASCII);
        rtlFiles.add("rtl/" + TOP + ".v");
        KernelWriter.Core kernel = kernelOf(o, p, s, dram, dmap, mem, top);
        List<String> kernelRtl = writeKernel(kernel, rtl, rtlFiles);

        List<String> memFiles = new ArrayList<>();
        try (Stream<Path> list = Files.list(mem)) {
            list.map(f -> "mem/" + f.getFileName()).sorted().forEach(memFiles::add);
        }
        DesignInfo info = new DesignInfo(TOP, rtlFiles, List.of("rtl"), (int) p.get("TOK_W"), s.vocab(),
                o.context(), o.lanes(), o.weights(), dram ? o.axiDataWidth() : 0, dram ? AxiSignals.ADDR_WIDTH : 0,
                dram ? dmap.regions().get(0).file() : null, memFiles, dram ? regions(dmap) : List.of(),
                dram ? o.axiPlan().maxBurst() : 0);
        // tb/ (Verilator harness, Icarus testbench) and Makefile, written before the manifest hashes them
        dev.fornax.sim.TestbenchWriter.write(info, tmp);
        // the kernel's host driver (driver/) and its harness (tb/fornax_kernel_*)
        List<String> images = dram ? dmap.regions().stream().map(DramImage.Region::file).toList() : List.of();
        List<String> driverFiles = DriverWriter.write(tmp, kernel, images, s.eosIds());
        List<String> benchFiles = dev.fornax.sim.KernelBenchWriter.write(tmp, new dev.fornax.sim.KernelDesign(
                KernelPorts.MODULE, kernelRtl, List.of("rtl"), s.vocab(), o.context(), kernel.weightPorts(),
                kernel.weightWidth(), kernel.designId(), images, List.of("driver/fornax_driver.c"), info.axiMaxBurst()));
        Map<String, Object> vendor = board == null ? null : vendorFiles(board, o, tmp, kernel, kernelRtl, rtlFiles, images,
                driverFiles, benchFiles, memFiles, Manifest.onChipBits(model, o, layout, p), dram ? dmap.bytes() : 0);
        Map<String, Object> manifest = Manifest.build(model, o, layout, p, info, dmap, tmp);
        manifest.put("kernel", kernelManifest(kernel, kernelRtl, images, driverFiles, benchFiles));
        if (vendor != null) {
            manifest.put("vendor", vendor);
        }
        Manifest.write(manifest, tmp.resolve("manifest.json"));
        st.commit();
        return new Result(info, manifest);
    }

    /** The kernel around the top (the contract top: m_axi_w<i>_*, w<i>_base, axi_error): one weight port over the image in dram mode, none in rom mode. */
    private static KernelWriter.Core kernelOf(Options o, CoreParams p, ModelSpec s, boolean dram, DramImage.Map dmap,
            Path mem, String top) throws IOException {
        String id = dram ? dmap.sha256()
                : Manifest.sha256Hex((Manifest.sha256(mem.resolve("weights.bin")) + Manifest.sha256(mem.resolve("consts.bin")))
                        .getBytes(StandardCharsets.US_ASCII));
        return new KernelWriter.Core(o.modelName(), s.vocab(), o.context(), o.lanes(), (int) p.get("TOK_W"),
                dram ? o.axiPorts() : 0, dram ? o.axiDataWidth() : 0, false, Long.parseLong(id.substring(0, 8), 16),
                legacyTop(top), 0);
    }

    /**
     * Whether the top has the single read port of the first DRAM designs (m_axi_*, an address relative to
     * the image, no base input or error outputs) rather than the multi-port contract (m_axi_w&lt;i&gt;_*,
     * w&lt;i&gt;_base, axi_error): the kernel then adds W0_BASE itself. Temporary, until every top is the
     * contract's.
     */
    private static boolean legacyTop(String top) {
        return !top.contains("w0_base");
    }

    /** Writes the kernel's library modules, register include and wrapper; returns its source list. */
    private static List<String> writeKernel(KernelWriter.Core k, Path rtl, List<String> coreRtl) throws IOException {
        Files.writeString(rtl.resolve(KernelWriter.REGS_INCLUDE), RegisterMap.verilogInclude(), StandardCharsets.US_ASCII);
        List<String> files = new ArrayList<>(coreRtl);
        for (String f : KernelWriter.LIBRARY) {
            copyResource(f, rtl);
            files.add("rtl/" + f);
        }
        Files.writeString(rtl.resolve(KernelWriter.FILE), KernelWriter.write(k), StandardCharsets.US_ASCII);
        files.add("rtl/" + KernelWriter.FILE);
        return files;
    }

    /** vivado/, vitis/, quartus/, fornax.core for the board; returns the manifest's "vendor" object. */
    private static Map<String, Object> vendorFiles(BoardPlan plan, Options o, Path dir, KernelWriter.Core k,
            List<String> kernelRtl, List<String> coreRtl, List<String> images, List<String> driver, List<String> bench,
            List<String> memFiles, Map<String, Long> onChipBits, long dramBytes) {
        KernelPorts ports = k.ports();
        List<String> roms = memFiles.stream().filter(f -> f.endsWith(".mem")).toList();
        List<String> includes = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir.resolve("rtl"))) {
            list.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".vh")).sorted()
                    .forEach(f -> includes.add("rtl/" + f));
        } catch (IOException e) {
            throw new FornaxException("cannot list " + dir.resolve("rtl") + ": " + e.getMessage());
        }
        VendorDesign d = new VendorDesign(o.modelName(), plan.board(), plan.clockHz(), ports, kernelRtl, includes, roms,
                images, VendorFiles.placement(plan.board(), ports), k.weightPorts(), k.kvDram());
        List<String> files = VendorFiles.write(dir, d, coreRtl, bench, driver,
                List.of("tb/fornax_tb.v", "tb/fornax_tb_config.vh"), memFiles);
        Map<String, Object> fit = plan.fit(onChipBits, dramBytes);
        Map<String, Object> m = VendorFiles.manifest(d, files, fit);
        m.put("choices", plan.reasons());
        return m;
    }

    /** manifest.json "kernel": what the host driver, verify --via kernel and the vendor files need. */
    private static Map<String, Object> kernelManifest(KernelWriter.Core k, List<String> rtlFiles, List<String> images,
            List<String> driver, List<String> harness) {
        Map<String, Object> m = new TreeMap<>();
        m.put("images", images);
        m.put("driver", driver);
        m.put("harness", harness);
        m.put("top", KernelPorts.MODULE);
        m.put("rtl", rtlFiles);
        m.put("include_dirs", List.of("rtl"));
        m.put("register_include", "rtl/" + KernelWriter.REGS_INCLUDE);
        m.put("register_map_version", RegisterMap.VERSION);
        m.put("design_id", String.format(java.util.Locale.ROOT, "0x%08X", k.designId()));
        m.put("weight_ports", k.weightPorts());
        m.put("weight_data_width", k.weightWidth());
        m.put("kv_port", k.kvDram());
        m.put("io_data_width", KernelPorts.IO_DATA_WIDTH);
        m.put("token_tdata_width", k.tdataWidth());
        m.put("control_addr_width", RegisterMap.ADDR_WIDTH);
        return m;
    }

    private static List<DramRegion> regions(DramImage.Map dmap) {
        List<DramRegion> r = new ArrayList<>();
        for (DramImage.Region g : dmap.regions()) {
            r.add(new DramRegion(g.file(), 0, g.bytes()));
        }
        return r;
    }

    static void check(RtlModel m, Options o) {
        ModelSpec s = m.spec();
        if (m.context() != o.context()) {
            throw new FornaxException("internal: model quantised for context " + m.context() + ", design for "
                    + o.context());
        }
        if (o.context() < 1 || o.context() > s.contextLength()) {
            throw new FornaxException("--context " + o.context() + " is outside 1.." + s.contextLength()
                    + " (the model's context length)");
        }
        if (s.headDim() % 2 != 0 || s.headDim() > 512) {
            throw new FornaxException("head_dim " + s.headDim() + " unsupported by the hardware (even, <= 512)");
        }
        if (s.vocab() > (1 << 24)) {
            throw new FornaxException("vocabulary " + s.vocab() + " exceeds the hardware limit 2^24 (24-bit token ids)");
        }
        if (s.layers() > 255) {
            throw new FornaxException("num_hidden_layers " + s.layers() + " exceeds the hardware limit 255");
        }
        if ((long) s.hidden() > 131072 || (long) o.context() > 262144) {
            throw new FornaxException("hidden " + s.hidden() + " / context " + o.context()
                    + " exceed the 48-bit accumulator bounds of docs/NUMERICS.md");
        }
    }

    /** Replacing is only for a previous design: never delete a directory that holds something else. */
    static void refuseForeign(Path out) {
        OutputTargets.requireDirectory(out, "-o");
        if (!Files.exists(out)) {
            return;
        }
        boolean empty;
        try (Stream<Path> st = Files.list(out)) {
            empty = st.findAny().isEmpty();
        } catch (IOException e) {
            throw new FornaxException(out + ": " + (Files.isDirectory(out) ? "cannot list: " + IoErrors.describe(e)
                    : "exists and is not a directory"));
        }
        if (!empty && !Files.isRegularFile(out.resolve("manifest.json"))) {
            throw new FornaxException(out + " exists and is not a fornax design (no manifest.json); "
                    + "refusing to replace it");
        }
    }

    /**
     * Refuses before any work when the output's file system cannot hold the weight files: the
     * compiler calls this with the shapes alone, before quantising (which takes minutes for the
     * largest presets), and {@link #generate} again with the real layout.
     */
    public static void requireSpace(Path out, ModelSpec s, Options o) {
        Path parent = out.toAbsolutePath().getParent();
        requireSpace(parent == null ? out.toAbsolutePath() : parent, weightFileBytes(s, o));
    }

    /** {@link #weightFileBytes(long, long, Options)} from the model's shapes, as {@link Layout} will lay them out. */
    static long weightFileBytes(ModelSpec s, Options o) {
        long totalBeats = 0;
        long consts = s.tiedEmbeddings() ? s.vocab() : 0; // a tied lm_head has constants, not beats
        for (int[] shape : Layout.ownBeatShapes(s)) {
            totalBeats += (long) shape[0] * ((shape[1] + o.lanes() - 1) / o.lanes());
            consts += shape[0];
        }
        return weightFileBytes(totalBeats, consts, o);
    }

    /** Bytes of the weight files: dram, one image; rom, binary twins plus hex (2 digits a byte, a newline a word). */
    static long weightFileBytes(long totalBeats, long totalConsts, Options o) {
        long bin = totalBeats * o.lanes() + totalConsts * 8;
        return o.weights().equals("dram") ? bin + 8192L * o.axiPorts() : bin + 2 * bin + totalBeats + totalConsts * 17;
    }

    /** Kept free beyond the weight files: program, tables, RTL, testbench, and room for the system. */
    static final long SPACE_MARGIN = DiskSpace.MARGIN;

    static String mib(long bytes) {
        return DiskSpace.mib(bytes);
    }

    static void requireSpace(Path dir, long need) {
        DiskSpace.require(dir, need, "the design's weight files");
    }

    private static String programHex(List<Program.Ins> prog) {
        StringBuilder sb = new StringBuilder();
        for (Program.Ins i : prog) {
            sb.append(i.hex()).append('\n');
        }
        return sb.toString();
    }

    private static void writeTables(RtlModel model, Options o, Path mem) {
        ModelSpec s = model.spec();
        int d = s.hidden();
        short[] gains = new short[(2 * s.layers() + 1) * d];
        int n = 0;
        for (RtlModel.Layer l : model.layers()) {
            System.arraycopy(l.attnGain().g(), 0, gains, n, d);
            n += d;
            System.arraycopy(l.ffnGain().g(), 0, gains, n, d);
            n += d;
        }
        System.arraycopy(model.finalGain().g(), 0, gains, n, d);
        MemFiles.writeShorts(mem.resolve("gain.mem"), gains);
        MemFiles.writeWords(mem.resolve("eps.mem"), model.epsTab(), 64);
        MemFiles.writeInts(mem.resolve("rsqrt.mem"), Tables.rsqrt(), 16);
        MemFiles.writeInts(mem.resolve("exp2.mem"), Tables.exp2(), 16);
        MemFiles.writeInts(mem.resolve("recip.mem"), Tables.recip(), 17);
        MemFiles.writeInts(mem.resolve("gate.mem"), model.gateTab(), 16);
        Tables.RopeTables rope = model.rope();
        MemFiles.writeShorts(mem.resolve("cos.mem"), rope.cos());
        MemFiles.writeShorts(mem.resolve("sin.mem"), rope.sin());
    }

    /**
     * Writes the library's includes into {@code dir}: the fixed {@link #INCLUDE} and the generated
     * {@link IsaHeader#FILE}. Every design's rtl/ gets them this way, and so does a test that builds
     * library modules on their own ({@link #copyLibraryFile} for the modules).
     */
    public static void writeIncludes(Path dir) throws IOException {
        copyResource(INCLUDE, dir);
        IsaHeader.write(dir);
    }

    /** Copies one fixed library file (resources /rtl/) into {@code dir}. */
    public static void copyLibraryFile(String name, Path dir) throws IOException {
        copyResource(name, dir);
    }

    private static void copyResource(String name, Path dir) throws IOException {
        try (InputStream in = DesignGenerator.class.getResourceAsStream("/rtl/" + name)) {
            if (in == null) {
                throw new FornaxException("internal: RTL library file rtl/" + name + " missing from the build");
            }
            Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
