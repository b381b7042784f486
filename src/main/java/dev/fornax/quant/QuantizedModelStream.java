package dev.fornax.quant;

import dev.fornax.golden.IntOps;
import dev.fornax.golden.Tables;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical byte stream of a {@link QuantizedModel}: every integer it holds, in a fixed order,
 * big-endian (java.io.DataOutput). Its SHA-256 ({@link #sha256}) identifies a quantised model: two
 * runs of the quantiser on the same weights give the same digest, and the RTL generator can name
 * its outputs by it.
 *
 * <p>Order: magic {@code "FORNAXQ"}, numerics version, context (the {@code ModelSpec} is not
 * part of it: the shapes are, through the matrices);
 * tables (eps, rsqrt, exp2, recip, gate, rope cos, rope sin, score M and k); then every matrix of
 * {@link QuantizedModel#matrices()} as name, rows, cols, scale M[rows], scale k[rows] and its int8
 * rows (a tied lm_head writes only its scales), for INT4 followed by the group size and the group
 * multipliers; per layer the two norm gains and the q/k/v biases
 * (a length of −1 when absent); the final norm gain.
 */
public final class QuantizedModelStream {
    private QuantizedModelStream() {}

    public static void write(QuantizedModel m, OutputStream out) throws IOException {
        DataOutputStream o = new DataOutputStream(out);
        o.write("FORNAXQ".getBytes(StandardCharsets.US_ASCII));
        o.writeInt(IntOps.NUMERICS_VERSION);
        o.writeInt(m.context());
        KernelTables t = m.tables();
        longs(o, t.eps());
        if (t.epsHead() != null) {
            longs(o, t.epsHead());
        }
        ints(o, t.rsqrt());
        ints(o, t.exp2());
        ints(o, t.recip());
        ints(o, t.gate());
        shorts(o, t.rope().cos());
        shorts(o, t.rope().sin());
        o.writeInt(t.score().m());
        o.writeInt(t.score().k());
        for (QuantMatrix q : m.matrices()) {
            o.writeUTF(q.name());
            o.writeInt(q.rows());
            o.writeInt(q.cols());
            ints(o, q.scaleM());
            ints(o, q.scaleK());
            boolean sharedRows = q == m.lmHead() && m.tied();
            o.writeBoolean(sharedRows);
            if (!sharedRows) {
                if (q.data() == null) {
                    throw new IllegalStateException(q.name() + ": rows were streamed out, the model cannot be serialised");
                }
                o.write(q.data());
                if (q.groupScale() != null) { // INT4 only: 8-bit models keep their stream (and digest)
                    o.writeInt(q.groupSize());
                    o.write(q.groupScale());
                }
            }
        }
        for (QuantLayer l : m.layers()) {
            gain(o, l.attnNorm());
            gain(o, l.ffnNorm());
            ints(o, l.bq());
            ints(o, l.bk());
            ints(o, l.bv());
            if (l.qNorm() != null) { // qwen3 only, so the bytes of every other model stay as they were
                gain(o, l.qNorm());
                gain(o, l.kNorm());
            }
        }
        gain(o, m.finalNorm());
        o.flush();
    }

    /** Hex SHA-256 of {@link #write}. */
    public static String sha256(QuantizedModel m) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
                write(m, new java.io.BufferedOutputStream(out, 1 << 16));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void gain(DataOutputStream o, Tables.Gain g) throws IOException {
        shorts(o, g.g());
        o.writeInt(g.gk());
    }

    private static void ints(DataOutputStream o, int[] v) throws IOException {
        if (v == null) {
            o.writeInt(-1);
            return;
        }
        o.writeInt(v.length);
        for (int x : v) {
            o.writeInt(x);
        }
    }

    private static void longs(DataOutputStream o, long[] v) throws IOException {
        o.writeInt(v.length);
        for (long x : v) {
            o.writeLong(x);
        }
    }

    private static void shorts(DataOutputStream o, short[] v) throws IOException {
        o.writeInt(v.length);
        for (short x : v) {
            o.writeShort(x);
        }
    }
}
