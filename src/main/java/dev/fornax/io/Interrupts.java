package dev.fornax.io;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What SIGINT and SIGTERM undo. The JVM runs shutdown hooks on both; this one (installed once)
 * first kills every external tool still running — each was started in its own process group
 * ({@link #groupLeaderCommand}), so the group kill reaches make's cc1plus grandchildren too, and
 * every descendant of this JVM is killed as well — then runs the registered clean-ups (temporary
 * outputs, newest first), and prints one line. The exit status stays the signal's (130, 143).
 *
 * <p>A command that finishes normally has nothing registered; {@link #finished()} makes the hook
 * silent when the CLI exits on its own.
 */
public final class Interrupts {
    private static final Map<Long, Registration> CLEANUPS = new LinkedHashMap<>();
    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();
    private static final AtomicLong NEXT = new AtomicLong();
    private static volatile boolean interrupted;
    private static volatile boolean finished;
    private static volatile boolean announce;
    private static final String SETSID = findSetsid();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Interrupts::onShutdown, "fornax-interrupt"));
    }

    private Interrupts() {}

    /** A registered clean-up; {@link #close} deregisters it (the work it undoes was finished or removed). */
    public static final class Registration implements AutoCloseable {
        private final long id;
        private final String what;
        private final Runnable cleanup;

        private Registration(long id, String what, Runnable cleanup) {
            this.id = id;
            this.what = what;
            this.cleanup = cleanup;
        }

        @Override
        public void close() {
            synchronized (CLEANUPS) {
                CLEANUPS.remove(id);
            }
        }
    }

    /** Runs {@code cleanup} if the process is interrupted before the registration is closed. */
    public static Registration onInterrupt(String what, Runnable cleanup) {
        Registration r = new Registration(NEXT.incrementAndGet(), what, cleanup);
        synchronized (CLEANUPS) {
            CLEANUPS.put(r.id, r);
        }
        return r;
    }

    /** The CLI process: the hook reports an interruption on stderr (tests calling Main.run stay quiet). */
    public static void announceOnInterrupt() {
        announce = true;
    }

    /** The command ended on its own (normally or with an error): the hook has nothing to say. */
    public static void finished() {
        finished = true;
    }

    /** True once a signal started the shutdown: errors that follow are its consequence, not news. */
    public static boolean interrupted() {
        return interrupted;
    }

    /**
     * {@code command} run as the leader of a new session and process group ({@code setsid}), so that
     * the process and everything it forks can be killed together; unchanged when setsid is missing.
     */
    public static List<String> groupLeaderCommand(List<String> command) {
        if (SETSID == null) {
            return command;
        }
        List<String> c = new ArrayList<>(command.size() + 2);
        c.add(SETSID);
        c.add("--wait"); // setsid forks only when it cannot lead a group; then it waits and passes the status
        c.addAll(command);
        return c;
    }

    /** An external tool that runs now; the hook kills it and its process group. */
    public static void track(Process p) {
        CHILDREN.add(p);
    }

    /** Kills a tool (and its process group) that is still running, then forgets it. */
    public static void release(Process p) {
        CHILDREN.remove(p);
        if (p.isAlive()) {
            killGroup(p);
        }
    }

    private static void onShutdown() {
        if (finished) {
            return;
        }
        interrupted = true;
        // what is registered now is what the signal interrupted (the main thread may undo some of it
        // itself once its tools die; undoing twice is harmless)
        List<Registration> pending;
        synchronized (CLEANUPS) {
            pending = new ArrayList<>(CLEANUPS.values());
            CLEANUPS.clear();
        }
        for (Process p : List.copyOf(CHILDREN)) {
            killGroup(p);
        }
        killDescendants();
        List<String> removed = new ArrayList<>();
        for (int i = pending.size() - 1; i >= 0; i--) {
            try {
                pending.get(i).cleanup.run();
                removed.add(pending.get(i).what);
            } catch (RuntimeException e) {
                removed.add(pending.get(i).what + " (not removed: " + e.getMessage() + ")");
            }
        }
        if (announce) {
            PrintStream err = System.err;
            err.println("fornax: interrupted" + (removed.isEmpty() ? "" : "; removed " + String.join(", ", removed)));
            err.flush();
        }
    }

    private static void killGroup(Process p) {
        if (SETSID != null) {
            try {
                // the tool leads its own process group: kill -KILL -- -PGID reaches every process in it
                Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                kill.waitFor(2, TimeUnit.SECONDS);
            } catch (IOException e) {
                // kill(1) missing: the descendants walk below still ends them
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Every process below this JVM that is not a tracked tool (an installer, say): asked to stop
     * with SIGTERM first, so it can clean up after itself, then killed until none is left (a dying
     * make may just have forked).
     */
    private static void killDescendants() {
        List<ProcessHandle> first = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        first.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (ProcessHandle h : first) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // killed below
            }
        }
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            if (alive.isEmpty()) {
                return;
            }
            alive.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : alive) {
                try {
                    h.onExit().get(1, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // next round
                }
            }
        }
    }

    private static String findSetsid() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && new java.io.File(dir, "setsid").canExecute()) {
                return new java.io.File(dir, "setsid").getPath();
            }
        }
        return null;
    }

    /** The start time of a live process, for telling a reused pid from the original owner. */
    static Optional<Long> startMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(java.time.Instant::toEpochMilli);
    }
}
