package dev.fornax.io;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Refusing before a long write that the file system cannot hold (compile's weight files, tiny's model). */
public final class DiskSpace {
    /** Kept free beyond what is written: the smaller files, and room for the system. */
    public static final long MARGIN = 64L << 20;

    private DiskSpace() {}

    /**
     * Fails with "not enough disk space in DIR: WHAT need about N MiB plus a 64 MiB margin ...; F MiB
     * free" when {@code need} bytes and the margin do not fit the file system of {@code dir} (or of
     * its nearest existing ancestor).
     */
    public static void require(Path dir, long need, String what) {
        long free;
        try {
            Path existing = dir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            free = Files.getFileStore(existing == null ? dir : existing).getUsableSpace();
        } catch (IOException e) {
            throw new FornaxException("cannot check free space for " + dir + ": " + IoErrors.describe(e));
        }
        if (free < need || free - need < MARGIN) {
            throw new FornaxException("not enough disk space in " + dir + ": " + what + " need about "
                    + mib(need) + " plus a " + mib(MARGIN) + " margin for the other files; " + mib(free) + " free");
        }
    }

    /** Whole MiB rounded up (a 100 KiB file is "1 MiB", never "0 MiB"). */
    public static String mib(long bytes) {
        return ((bytes + (1L << 20) - 1) >> 20) + " MiB";
    }
}
