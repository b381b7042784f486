package dev.fornax.io;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What an input path may be: a regular file (or a symbolic link to one). Reading a FIFO blocks
 * until someone writes to it, and a device or socket is no model or tokenizer: such a node is
 * refused before it is opened, with words that say what it is, instead of being read (a hang) or
 * taken for a missing file (a wrong message, or an optional file silently skipped).
 */
public final class InputFiles {
    private InputFiles() {}

    /**
     * Why {@code p} cannot be read as a file, or null when it is a regular file or a link to one:
     * "no such file", "is a directory", "is a FIFO (named pipe), not a regular file", "is a broken
     * symbolic link (to X)", "is a symbolic link loop".
     */
    public static String problem(Path p) {
        BasicFileAttributes own;
        try {
            own = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return "no such file";
        } catch (IOException e) {
            return IoErrors.describe(e);
        }
        BasicFileAttributes a = own;
        if (own.isSymbolicLink()) {
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                return "is a broken symbolic link (to " + target(p) + ", which does not exist)";
            } catch (FileSystemException e) {
                String reason = e.getReason() == null ? "" : e.getReason();
                return reason.contains("levels of symbolic links") ? "is a symbolic link loop"
                        : "is a symbolic link that cannot be followed: " + IoErrors.describe(e);
            } catch (IOException e) {
                return IoErrors.describe(e);
            }
        }
        if (a.isRegularFile()) {
            return null;
        }
        if (a.isDirectory()) {
            return "is a directory";
        }
        String kind = OutputTargets.specialKind(own.isSymbolicLink() ? real(p) : p);
        return "is " + (kind == null ? "a special file" : kind) + ", not a regular file";
    }

    /** Refuses {@code p} unless it is a regular file: "LABEL P: PROBLEM" (label may be empty). */
    public static void requireRegular(Path p, String label) {
        String problem = problem(p);
        if (problem != null) {
            throw new FornaxException((label.isEmpty() ? "" : label + " ") + Printable.of(p.toString())
                    + (problem.startsWith("is ") ? " " : ": ")
                    + problem);
        }
    }

    /**
     * An optional input (generation_config.json, tokenizer_config.json): false when nothing is at
     * {@code p}, true when it is a regular file; anything else there is refused, not skipped.
     */
    public static boolean optional(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        requireRegular(p, "");
        return true;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }
}
