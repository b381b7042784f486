package dev.fornax.rtl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fornax.FornaxException;
import dev.fornax.golden.IntOps;
import dev.fornax.golden.LookupTable;
import dev.fornax.ir.ModelSpec;
import dev.fornax.rtl.perf.Board;
import dev.fornax.rtl.perf.Macs;
import dev.fornax.rtl.perf.PerformanceModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** manifest.json: what was compiled, how, where everything is, what it costs, and file hashes. */
final class Manifest {
    private Manifest() {}

    static Map<String, Object> build(RtlModel model, DesignGenerator.Options o, Layout layout, CoreParams p,
            DesignInfo info, DramImage.Map dram, Path dir) throws IOException {
        ModelSpec s = model.spec();
        Map<String, Object> m = new TreeMap<>();
        Map<String, Object> mod = new TreeMap<>();
        mod.put("name", o.modelName());
        if (o.source() != null) {
            mod.put("source", o.source());
        }
        mod.put("architecture", s.architecture().modelType());
        mod.put("hidden", s.hidden());
        mod.put("layers", s.layers());
        mod.put("heads", s.heads());
        mod.put("kv_heads", s.kvHeads());
        mod.put("head_dim", s.headDim());
        mod.put("intermediate", s.intermediate());
        mod.put("vocab", s.vocab());
        mod.put("context_length", s.contextLength());
        m.put("model", mod);
        Map<String, Object> opt = new TreeMap<>();
        opt.put("lanes", o.lanes());
        opt.put("context", o.context());
        opt.put("weights", o.weights());
        m.put("options", opt);
        m.put("numerics_version", IntOps.NUMERICS_VERSION);
        if (layout.groupSize() != 0) { // INT4 designs only: 8-bit manifests are unchanged
            m.put("weight_format", new TreeMap<>(Map.of("bits", 4, "group_size", layout.groupSize(),
                    "stream", "blocks of rows_per_block rows: ceil(rows_per_block*ceil(bpr*LANES/G)/LANES) beats of"
                            + " group multipliers u, then per row ceil(bpr/2) beats of two weights per byte"
                            + " (docs/HARDWARE.md, INT4 weight stream)")));
        }
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
        if (!info.dramRegions().isEmpty()) {
            List<Map<String, Object>> regions = new ArrayList<>();
            for (DramRegion r : info.dramRegions()) {
                Map<String, Object> e = new TreeMap<>();
                e.put("file", r.file());
                e.put("offset", r.offset());
                e.put("bytes", r.bytes());
                regions.add(e);
            }
            m.put("dram_regions", regions);
            m.put("axi_max_burst", info.axiMaxBurst());
        }
        m.put("mem_files", info.memFiles());
        m.put("core_parameters", new TreeMap<>(p.values()));

        long matMacs = matrixMacs(s);
        long attnPerPos = Macs.attentionPerPosition(s);
        Map<String, Object> macs = new TreeMap<>();
        macs.put("matrices", matMacs);
        macs.put("attention_per_position", attnPerPos);
        macs.put("formula", "matrices + attention_per_position * (pos + 1)");
        m.put("macs_per_token", macs);
        Map<String, Object> perf = new TreeMap<>();
        perf.put("ideal_cycles_at_pos0", (matMacs + attnPerPos) / (double) o.lanes());
        perf.put("predicted_cycles_at_pos0", Schedule.predictCycles(s, layout, o.lanes(), 0));
        perf.put("predicted_cycles_per_position", Schedule.predictCycles(s, layout, o.lanes(), 1)
                - Schedule.predictCycles(s, layout, o.lanes(), 0));
        // Board estimates at position 0 (dev.fornax.rtl.perf, docs/PERFORMANCE.md): clocks and bandwidths assumed.
        perf.putAll(PerformanceModel.predicted(s, o.lanes(), o.weights(), o.context(), 0, info.axiDataWidth(), o.axiPorts(),
                Schedule.predictCycles(s, layout, o.lanes(), 0)).withGroupSize(layout.groupSize()).toJson(Board.ASSUMED));
        m.put("performance", perf);

        Map<String, Object> map = new TreeMap<>();
        for (Layout.Slot sl : layout.slots()) {
            Map<String, Object> e = new TreeMap<>();
            e.put("first_beat", sl.wbase());
            e.put("beats_per_row", sl.bpr());
            e.put("first_const", sl.cbase());
            e.put("rows", sl.rows());
            e.put("cols", sl.matrix().cols());
            e.put("shares_beats", !sl.ownBeats());
            if (sl.blocked()) { // INT4: rows in blocks sharing a run of multiplier beats
                e.put("rows_per_block", 1 << sl.log2Block());
                e.put("beats", sl.beats());
            }
            map.put(String.format("%03d %s", map.size(), sl.matrix().name()), e);
        }
        Map<String, Object> memMap = new TreeMap<>();
        memMap.put("beat_bytes", o.lanes());
        memMap.put("total_beats", layout.totalBeats());
        memMap.put("total_consts", layout.totalConsts());
        memMap.put("matrices", map);
        if (dram != null) {
            AxiPlan plan = dram.geometry().plan();
            Map<String, Object> dm = new TreeMap<>();
            dm.put("file", info.dramImage());
            dm.put("weights_offset", 0);
            dm.put("consts_offset", dram.constsOffset());
            dm.put("bytes", dram.regions().get(0).bytes());
            dm.put("axi_data_width", info.axiDataWidth());
            dm.put("axi_addr_width", info.axiAddrWidth());
            dm.put("ports", plan.ports());
            dm.put("slice_bytes", plan.sliceBytes());
            dm.put("max_burst_beats", plan.maxBurst());
            dm.put("mem_latency_cycles", plan.memLatency());
            dm.put("fifo_beats_per_port", new TreeMap<>(Map.of("weights", plan.weightFifo(), "constants",
                    plan.constFifo())));
            List<Map<String, Object>> regions = new ArrayList<>();
            for (int i = 0; i < dram.regions().size(); i++) {
                DramImage.Region r = dram.regions().get(i);
                Map<String, Object> e = new TreeMap<>();
                e.put("port", i);
                e.put("file", r.file());
                e.put("bytes", r.bytes());
                e.put("row_constants", dram.geometry().consts(i));
                e.put("base_input", AxiSignals.base(i));
                regions.add(e);
            }
            dm.put("regions", regions);
            dm.put("layout", "one region per AXI read port i (file regions[i].file, loaded at the DRAM address on input "
                    + "w<i>_base, a multiple of 4096): bytes [i*slice_bytes, (i+1)*slice_bytes) of weight beat b "
                    + "(LANES bytes) at b*slice_bytes; row constant r with r mod ports = i (8 bytes LE: M[15:0], "
                    + "k[27:16] signed, bias[63:32]) at consts_offset + 8*(r div ports); each region padded to a whole "
                    + "AXI beat. With one port: weight beat b at b*LANES, row constant r at consts_offset + 8*r");
            memMap.put("dram", dm);
        }
        m.put("memory_map", memMap);

        Map<String, Long> bits = onChipBits(model, o, layout, p);
        m.put("on_chip_memory_bits", bits);

        // what verify checks before it builds anything: each file's size (a truncated file named as
        // such) and SHA-256 (an edited one)
        Map<String, Object> hashes = new TreeMap<>();
        Map<String, Long> sizes = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> st = Files.walk(dir)) {
            st.filter(Files::isRegularFile).forEach(all::add);
        }
        for (Path f : all) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            String written = dram == null ? null : dram.regions().stream().filter(r -> r.file().equals(rel))
                    .map(DramImage.Region::sha256).findFirst().orElse(null);
            if (written != null) {
                hashes.put(rel, written); // hashed while it was written
            } else if (!rel.equals("manifest.json")) {
                hashes.put(rel, sha256(f));
            }
            if (!rel.equals("manifest.json")) {
                sizes.put(rel, Files.size(f));
            }
        }
        m.put("sha256", hashes);
        m.put("file_bytes", sizes);
        return m;
    }

    /** On-chip memory bits by kind: weights (rom mode), KV cache, buffers, tables. */
    static Map<String, Long> onChipBits(RtlModel model, DesignGenerator.Options o, Layout layout, CoreParams p) {
        ModelSpec s = model.spec();
        Map<String, Long> bits = new TreeMap<>();
        long weightBits = layout.totalBeats() * o.lanes() * 8 + layout.totalConsts() * 64;
        long cd = (long) s.layers() * s.kvHeads() * o.context();
        long kvBits = 2 * cd * s.headDim() * 16 + 2 * cd * 12;
        long buffers = s.hidden() * 32L + 2 * p.get("SD") * 32 + p.get("XD") * o.lanes() * 32
                + (long) s.heads() * s.headDim() * 16 + o.context() * 32L;
        // the gain ROM, the EPS ROM, two copies (interpolation reads two entries) of the other tables, cos and sin
        long tables = p.get("NGAIN") * 16 + bits(LookupTable.EPS) + 2 * (bits(LookupTable.RSQRT)
                + bits(LookupTable.EXP2) + bits(LookupTable.RECIP) + bits(LookupTable.GATE))
                + 2L * o.context() * (s.headDim() / 2) * 16;
        bits.put("weights", o.weights().equals("rom") ? weightBits : 0);
        bits.put("kv_cache", kvBits);
        bits.put("buffers", buffers);
        bits.put("tables", tables);
        return bits;
    }

    private static long bits(LookupTable t) {
        return (long) t.entries() * t.bits();
    }

    static long matrixMacs(ModelSpec s) {
        return Macs.matrices(s);
    }

    static void write(Map<String, Object> manifest, Path file) {
        try {
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
            Files.writeString(file, om.writeValueAsString(manifest) + "\n");
        } catch (IOException e) {
            throw new FornaxException("cannot write " + file + ": " + e.getMessage());
        }
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
