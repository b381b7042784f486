package dev.fornax.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small fixed pool that splits an index range [0, n) into one contiguous chunk per thread. The
 * calling thread works on the first chunk itself, so a pool of {@code threads} uses exactly that
 * many cores. Chunks are contiguous so every index is computed by the same code in the same order
 * whatever the thread count: results do not depend on it.
 */
public final class Parallel implements AutoCloseable {
    /** Below this many rows per call the hand-off costs more than it saves. */
    private static final int MIN_PARALLEL = 64;

    private final int threads;
    private final ExecutorService pool;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            this.pool = null;
        } else {
            AtomicInteger counter = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "fornax-engine-" + counter.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** One thread per available processor (the machine has 2). */
    public static Parallel ofAvailableProcessors() {
        return new Parallel(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public int threads() {
        return threads;
    }

    /** Work on indices [from, to); {@code worker} is the chunk number in [0, threads). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to, int worker);
    }

    /** Runs {@code body} over [0, n) split into contiguous chunks, one per thread; returns when all are done. */
    public void forRange(int n, RangeBody body) {
        if (pool == null || n < MIN_PARALLEL) {
            body.run(0, n, 0);
            return;
        }
        int chunks = threads;
        List<Future<?>> pending = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            int worker = c;
            pending.add(pool.submit(() -> body.run(from, to, worker)));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / chunks), 0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("parallel worker failed", failure);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
