package dev.fornax.rtl;

import dev.fornax.ir.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every matrix lives in the weight stream: a run of beats (LANES bytes each, rows padded to
 * whole beats with zeros) and a run of 64-bit row constants. The lm_head of a tied model reuses
 * the embedding's beats with its own constants. Pure function of the model and the lane count.
 */
public final class Layout {
    /**
     * One matrix: first beat, beats per row (MAC beats of LANES weights), first row constant, rows,
     * and the beats a row takes in memory: bpr for INT8; for INT4 the packed beats
     * ({@link W4Stream#packedBeats}), except the embedding table, read by token at stride bpr.
     */
    public record Slot(QMatrix matrix, long wbase, int bpr, long cbase, int rows, boolean ownBeats, int stride,
            int log2Block, long beats) {
        public Slot(QMatrix matrix, long wbase, int bpr, long cbase, int rows, boolean ownBeats) {
            this(matrix, wbase, bpr, cbase, rows, ownBeats, bpr, -1, (long) bpr * rows);
        }

        /** Rows of stride beats each (INT8, the INT4 embedding table), or INT4 blocks of 2^log2Block rows. */
        public boolean blocked() {
            return log2Block >= 0;
        }
    }

    private final int lanes;
    private final List<Slot> slots = new ArrayList<>();
    private final Slot embedding;
    private final List<Slot[]> layers = new ArrayList<>();
    private final Slot lmHead;
    private long beats;
    private long consts;

    private final int groupSize;

    public Layout(RtlModel model, int lanes) {
        this.lanes = lanes;
        this.groupSize = model.embedding().groupSize();
        ModelSpec s = model.spec();
        if (groupSize != 0) {
            W4Stream.checkEmbedding(beatsPerRow(model.embedding().cols()), groupSize, model.embedding().name());
            int bpr = beatsPerRow(model.embedding().cols());
            embedding = new Slot(model.embedding(), beats, bpr, consts, model.embedding().rows(), true, bpr, -1,
                    (long) bpr * model.embedding().rows());
            beats += embedding.beats();
            consts += embedding.rows();
            slots.add(embedding);
        } else {
            embedding = add(model.embedding(), true);
        }
        for (RtlModel.Layer l : model.layers()) {
            layers.add(new Slot[] {add(l.wq(), true), add(l.wk(), true), add(l.wv(), true), add(l.wo(), true),
                add(l.wGate(), true), add(l.wUp(), true), add(l.wDown(), true)});
        }
        if (groupSize != 0) { // INT4: the lm_head is streamed packed, the embedding table is read at stride bpr
            lmHead = add(model.lmHead(), true);
        } else if (s.tiedEmbeddings()) { // the quantiser shares the embedding's rows exactly then
            lmHead = new Slot(model.lmHead(), embedding.wbase(), embedding.bpr(), consts, model.lmHead().rows(),
                    false);
            slots.add(lmHead);
            consts += lmHead.rows();
        } else {
            lmHead = add(model.lmHead(), true);
        }
    }

    private Slot add(QMatrix m, boolean ownBeats) {
        int bpr = beatsPerRow(m.cols());
        Slot slot = groupSize == 0 ? new Slot(m, beats, bpr, consts, m.rows(), ownBeats)
                : new Slot(m, beats, bpr, consts, m.rows(), ownBeats, W4Stream.packedBeats(bpr, groupSize),
                        W4Stream.log2RowsPerBlock(bpr, lanes, groupSize),
                        W4Stream.matrixBeats(m.rows(), bpr, lanes, groupSize));
        if (ownBeats) {
            beats += slot.beats();
        }
        consts += m.rows();
        slots.add(slot);
        return slot;
    }

    /**
     * {rows, cols} of every matrix with beats of its own, in stream order, from the shapes alone:
     * embedding; per layer q, k, v, o, gate, up, down; an untied lm_head.
     */
    static List<int[]> ownBeatShapes(ModelSpec s) {
        int d = s.hidden();
        int q = s.heads() * s.headDim();
        int kv = s.kvHeads() * s.headDim();
        int inter = s.intermediate();
        List<int[]> shapes = new ArrayList<>();
        shapes.add(new int[] {s.vocab(), d});
        for (int l = 0; l < s.layers(); l++) {
            shapes.addAll(List.of(new int[] {q, d}, new int[] {kv, d}, new int[] {kv, d}, new int[] {d, q},
                    new int[] {inter, d}, new int[] {inter, d}, new int[] {d, inter}));
        }
        if (!s.tiedEmbeddings()) {
            shapes.add(new int[] {s.vocab(), d});
        }
        return shapes;
    }

    public int beatsPerRow(int cols) {
        return beatsPerRow(cols, lanes);
    }

    /** Beats of LANES bytes one row of {@code cols} weights takes (the last one zero-padded). */
    public static int beatsPerRow(int cols, int lanes) {
        return (cols + lanes - 1) / lanes;
    }

    public int lanes() {
        return lanes;
    }

    /** INT4 group size, 0 for an INT8 layout. */
    public int groupSize() {
        return groupSize;
    }

    /** The largest MAC beats per row of any matrix (sizes the INT4 unpacker's scale memory). */
    public int maxBpr() {
        return slots.stream().mapToInt(Slot::bpr).max().orElse(1);
    }

    /**
     * Row r of a slot as it lies in memory: {@code stride·LANES} bytes into {@code out} at
     * {@code off} (INT8 weights zero-padded to whole beats, or the packed INT4 row padded to the stride).
     */
    /** Receives a slot's bytes in memory order, whole beats at a time. */
    public interface BeatSink {
        void accept(byte[] b, int off, int len) throws java.io.IOException;
    }

    /** Every beat of a slot, in memory order: its rows at their stride, or its INT4 blocks. */
    public static void writeSlot(Slot s, int lanes, BeatSink sink) throws java.io.IOException {
        QMatrix m = s.matrix();
        if (!s.blocked()) {
            byte[] row = new byte[s.stride() * lanes];
            for (int r = 0; r < m.rows(); r++) {
                rowBytes(s, r, lanes, row, 0);
                sink.accept(row, 0, row.length);
            }
            return;
        }
        int k = 1 << s.log2Block();
        byte[] block = new byte[(W4Stream.blockScaleBeats(s.bpr(), lanes, m.groupSize(), s.log2Block())
                + k * W4Stream.weightBeats(s.bpr())) * lanes];
        long total = 0;
        for (int r0 = 0; r0 < m.rows(); r0 += k) {
            int n = Math.min(k, m.rows() - r0);
            int len = W4Stream.packBlock(m, r0, n, s.log2Block(), lanes, s.bpr(), block, 0);
            sink.accept(block, 0, len);
            total += len;
        }
        if (total != s.beats() * lanes) {
            throw new IllegalStateException("internal: " + m.name() + ": " + total + " bytes for " + s.beats() + " beats");
        }
    }

    public static void rowBytes(Slot s, int r, int lanes, byte[] out, int off) {
        QMatrix m = s.matrix();
        int len = s.stride() * lanes;
        java.util.Arrays.fill(out, off, off + len, (byte) 0);
        if (m.int4()) {
            W4Stream.packRow(m, r, lanes, s.bpr(), out, off);
        } else {
            System.arraycopy(m.q(), r * m.cols(), out, off, m.cols());
        }
    }

    /** Every slot in stream order (the tied lm_head appears with the embedding's beats). */
    public List<Slot> slots() {
        return List.copyOf(slots);
    }

    public Slot embedding() {
        return embedding;
    }

    /** Layer l's slots: q, k, v, o, gate, up, down. */
    public Slot[] layer(int l) {
        return layers.get(l).clone();
    }

    public Slot lmHead() {
        return lmHead;
    }

    public long totalBeats() {
        return beats;
    }

    public long totalConsts() {
        return consts;
    }
}
