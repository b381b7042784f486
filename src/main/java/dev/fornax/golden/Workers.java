package dev.fornax.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits a row range over a fixed number of threads (the caller works on the first chunk). Rows
 * are independent integer computations, so results never depend on the thread count.
 */
final class Workers implements AutoCloseable {
    /** Below this many multiply-accumulates per call the hand-off costs more than it saves. */
    private static final long MIN_WORK = 1 << 15;

    interface Body {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            pool = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "fornax-int8-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Runs body over [0, n) in contiguous chunks; {@code work} is the total cost (for the serial cut-off). */
    void forRange(int n, long work, Body body) {
        if (pool == null || work < MIN_WORK || n < threads) {
            body.run(0, n);
            return;
        }
        List<Future<?>> pending = new ArrayList<>(threads - 1);
        for (int c = 1; c < threads; c++) {
            int from = (int) ((long) n * c / threads);
            int to = (int) ((long) n * (c + 1) / threads);
            pending.add(pool.submit(() -> body.run(from, to)));
        }
        RuntimeException failure = null;
        try {
            body.run(0, n / threads);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
