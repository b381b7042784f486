package dev.fornax.io;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A temporary output: a sibling of the target named {@code [.]NAME.tmp-PID-START[-N]} (PID and
 * start time in milliseconds of the process that writes it), renamed into place by
 * {@link #commit}, deleted by {@link #close} without a commit, and on SIGINT/SIGTERM by
 * {@link Interrupts}. Replacing an existing directory moves it aside to {@code NAME.old-PID-START}
 * first, so the target is never half old, half new.
 *
 * <p>{@link #reclaim} removes the temporaries that processes which no longer run left behind
 * (killed with SIGKILL, or a power cut); a temporary of a live process is left alone.
 */
public final class Scratch implements AutoCloseable {
    private static final long PID = ProcessHandle.current().pid();
    private static final long START = Interrupts.startMillis(PID).orElse(0L);
    private static final AtomicInteger COUNT = new AtomicInteger();
    /** The name part fornax appends: .tmp-PID-START or .old-PID-START, maybe -N. */
    private static final Pattern OWNED = Pattern.compile("\\.(tmp|old)-(\\d+)-(\\d+)(?:-\\d+)?$");
    /** Process start times read from /proc drift by a few jiffies. */
    private static final long START_TOLERANCE_MS = 2000;
    /**
     * A shared directory's temporaries without an owner in their name (older fornax versions, which
     * other checkouts may still run) count as stale after this.
     */
    private static final Duration SHARED_UNOWNED_AGE = Duration.ofHours(1);

    private final Path target;
    private final Path path;
    private final boolean directory;
    private final boolean hidden;
    private final Interrupts.Registration registration;
    private Path aside; // the replaced target, moved aside while the new one is renamed in
    private Path createdParents; // the highest parent directory this scratch created, or null
    private boolean committed;

    private Scratch(Path target, Path path, boolean directory, boolean hidden, String what) {
        this.target = target;
        this.path = path;
        this.directory = directory;
        this.hidden = hidden;
        this.registration = Interrupts.onInterrupt(what, this::undo);
    }

    /**
     * A new empty directory next to {@code target} ({@code hidden}: its name starts with a dot);
     * missing parent directories are created, and removed again if the output is not committed.
     */
    public static Scratch directory(Path target, boolean hidden) {
        Path t = target.toAbsolutePath().normalize();
        Path p = sibling(t, hidden, "tmp");
        Path created = topmostMissing(t.getParent());
        try {
            Files.createDirectories(t.getParent());
            deleteTree(p);
            Files.createDirectory(p);
        } catch (IOException e) {
            throw new FornaxException("cannot create " + p + " (the temporary output for " + target + "): "
                    + IoErrors.describe(e), e);
        }
        Scratch s = new Scratch(t, p, true, hidden, p.toString());
        s.createdParents = created;
        return s;
    }

    /** The highest ancestor of {@code dir} (or dir itself) that does not exist yet, or null. */
    private static Path topmostMissing(Path dir) {
        Path missing = null;
        for (Path d = dir; d != null && !Files.exists(d, LinkOption.NOFOLLOW_LINKS); d = d.getParent()) {
            missing = d;
        }
        return missing;
    }

    /** A new empty file next to {@code target}, created with the usual permissions (umask). */
    public static Scratch file(Path target, boolean hidden) {
        Path t = target.toAbsolutePath().normalize();
        Path p = sibling(t, hidden, "tmp");
        try {
            Files.deleteIfExists(p);
            Files.createFile(p);
        } catch (IOException e) {
            throw new FornaxException("cannot create " + p + " (the temporary output for " + target + "): "
                    + IoErrors.describe(e), e);
        }
        return new Scratch(t, p, false, hidden, p.toString());
    }

    /** A private working directory {@code java.io.tmpdir/KIND.tmp-PID-START-N}, removed when closed. */
    public static Scratch workDirectory(String kind) {
        Path base = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        reclaim(base.resolve(kind), false);
        Path p = base.resolve(kind + ".tmp-" + PID + "-" + START + "-" + COUNT.incrementAndGet());
        try {
            Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            try {
                Files.createDirectory(p);
            } catch (IOException ex) {
                throw new FornaxException("cannot create the working directory " + p + ": " + IoErrors.describe(ex), ex);
            }
        } catch (IOException e) {
            throw new FornaxException("cannot create the working directory " + p + ": " + IoErrors.describe(e), e);
        }
        return new Scratch(p, p, true, false, p.toString());
    }

    public Path path() {
        return path;
    }

    /**
     * Renames the finished output into place, replacing what is there (the caller has checked
     * that it may: {@link OutputTargets}).
     */
    public synchronized void commit() {
        try {
            if (!directory) {
                move(path, target, true);
            } else {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    aside = sibling(target, hidden, "old");
                    deleteTree(aside);
                    move(target, aside, false);
                }
                move(path, target, false);
                if (aside != null) {
                    deleteTree(aside);
                    aside = null;
                }
            }
            committed = true;
        } catch (IOException e) {
            throw new FornaxException("cannot move " + path + " into place as " + target + ": " + IoErrors.describe(e), e);
        } finally {
            if (committed) {
                registration.close();
            }
        }
    }

    /** Deletes the temporary unless it was committed. */
    @Override
    public synchronized void close() {
        if (!committed) {
            undo();
        }
        registration.close();
    }

    /** Removes the temporary; puts a target that was moved aside back. */
    private synchronized void undo() {
        if (committed) {
            return;
        }
        deleteQuietly(path);
        // parents created for this output go too, as long as they hold nothing else
        for (Path d = path.getParent(); createdParents != null && d != null && d.startsWith(createdParents);
                d = d.getParent()) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                break; // not empty: someone else's now
            }
        }
        if (aside != null && Files.exists(aside, LinkOption.NOFOLLOW_LINKS)
                && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                move(aside, target, false);
            } catch (IOException e) {
                // leave it: its name says what it is, and reclaim() restores it next time
            }
        }
    }

    /**
     * Removes the temporaries next to {@code target} ({@code hidden}: dot-named) that no running
     * process owns; a replaced target moved aside by a process that died before the new one was
     * renamed in is put back instead. Returns how many entries were removed or restored.
     */
    public static int reclaim(Path target, boolean hidden) {
        return reclaim(target, hidden, Duration.ZERO);
    }

    private static int reclaim(Path target, boolean hidden, Duration unownedAge) {
        Path t = target.toAbsolutePath().normalize();
        Path dir = t.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String stem = (hidden ? "." : "") + t.getFileName();
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob(stem) + ".{tmp,old}*")) {
            for (Path p : entries) {
                String rest = p.getFileName().toString().substring(stem.length());
                Matcher m = OWNED.matcher(rest);
                boolean ours = m.matches();
                if (ours ? ownerAlive(Long.parseLong(m.group(2)), Long.parseLong(m.group(3))) : !staleUnowned(p, rest, unownedAge)) {
                    continue;
                }
                boolean aside = ours ? m.group(1).equals("old") : rest.startsWith(".old");
                if (aside && !Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                    move(p, t, false);
                } else {
                    deleteTree(p);
                }
                n++;
            }
        } catch (IOException e) {
            // Reclaiming is housekeeping; the command's own writes report real problems.
        }
        return n;
    }

    /** Stale temporaries of any name in {@code dir} (the build cache's KEY.tmp-... directories). */
    public static int reclaimAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.tmp*")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                int at = name.indexOf(".tmp");
                n += reclaim(dir.resolve(name.substring(0, at)), false, SHARED_UNOWNED_AGE);
            }
        } catch (IOException e) {
            // housekeeping only
        }
        return n;
    }

    /** A temporary named as fornax named them before names carried their owner, unchanged for {@code age}. */
    private static boolean staleUnowned(Path p, String rest, Duration age) {
        if (!rest.matches("\\.(tmp|old)[-0-9]*")) {
            return false; // someone else's file that merely starts with our name
        }
        try {
            FileTime modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
            return !modified.toInstant().isAfter(Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean ownerAlive(long pid, long startMillis) {
        if (pid == PID) {
            return Math.abs(startMillis - START) <= START_TOLERANCE_MS;
        }
        Optional<Long> start = Interrupts.startMillis(pid);
        if (ProcessHandle.of(pid).isEmpty()) {
            return false;
        }
        return start.isEmpty() || Math.abs(start.get() - startMillis) <= START_TOLERANCE_MS;
    }

    private static Path sibling(Path target, boolean hidden, String kind) {
        String name = (hidden ? "." : "") + target.getFileName() + "." + kind + "-" + PID + "-" + START;
        return target.resolveSibling(name);
    }

    private static String glob(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{},])", "\\\\$1");
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        // another thread may still be writing into it: retry until it is gone
        for (int attempt = 0; attempt < 20 && Files.exists(p, LinkOption.NOFOLLOW_LINKS); attempt++) {
            try {
                deleteTree(p);
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Deletes a file or a directory tree; symbolic links are removed, never followed. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(f);
                } catch (NoSuchFileException e) {
                    // already gone
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
