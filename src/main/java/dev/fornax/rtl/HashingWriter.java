package dev.fornax.rtl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a large binary file and its SHA-256 in one pass: the caller fills chunks while a
 * background thread writes the full ones to the file and hashes them, in order. The manifest's
 * hash of a 0.5–4 GB DRAM image costs no second read, and the write overlaps the quantiser.
 * Chunks (1 MiB, small enough to stay in cache between filling and writing) rotate through a
 * small pool; a chunk is refilled only after it was written and hashed.
 */
final class HashingWriter implements AutoCloseable {
    private static final int CHUNK = 1 << 20;
    private static final int POOL = 8;

    private final FileChannel channel;
    private final MessageDigest digest;
    private final ExecutorService hasher; // one thread: writes and hashes chunks in order
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final ArrayDeque<Pending> hashing = new ArrayDeque<>();
    private ByteBuffer current;
    private long written;
    private String sha256;

    private record Pending(ByteBuffer chunk, Future<?> done) {}

    HashingWriter(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        hasher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fornax-image-writer");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < POOL; i++) {
            free.add(ByteBuffer.allocate(CHUNK));
        }
        current = free.poll();
    }

    void write(byte[] src, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, current.remaining());
            current.put(src, off, n);
            off += n;
            len -= n;
            if (!current.hasRemaining()) {
                flushChunk();
            }
        }
    }

    void write(byte[] src) throws IOException {
        write(src, 0, src.length);
    }

    void zeros(long n) throws IOException {
        while (n > 0) {
            int k = (int) Math.min(n, current.remaining());
            int at = current.position();
            Arrays.fill(current.array(), at, at + k, (byte) 0); // chunks are reused: clear explicitly
            current.position(at + k);
            n -= k;
            if (!current.hasRemaining()) {
                flushChunk();
            }
        }
    }

    long written() {
        return written + current.position();
    }

    /** Hex SHA-256 of everything written; valid after {@link #close}. */
    String sha256() {
        if (sha256 == null) {
            throw new IllegalStateException("sha256 before close");
        }
        return sha256;
    }

    private void flushChunk() throws IOException {
        ByteBuffer chunk = current;
        chunk.flip();
        written += chunk.remaining();
        Future<?> done = hasher.submit(() -> {
            ByteBuffer toFile = chunk.duplicate();
            while (toFile.hasRemaining()) {
                channel.write(toFile);
            }
            digest.update(chunk.duplicate());
            return null;
        });
        hashing.add(new Pending(chunk, done));
        current = free.poll();
        if (current == null) {
            Pending oldest = hashing.poll();
            await(oldest.done());
            current = oldest.chunk().clear();
        }
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("writing failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing");
        }
    }

    /** Flushes, waits for the writer thread and computes the hash; closing twice is harmless. */
    @Override
    public void close() throws IOException {
        if (hasher.isShutdown()) {
            return;
        }
        try {
            if (sha256 == null) {
                if (current.position() > 0) {
                    flushChunk();
                }
                for (Pending p : hashing) {
                    await(p.done());
                }
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
        } finally {
            hasher.shutdownNow();
            channel.close();
        }
    }
}
