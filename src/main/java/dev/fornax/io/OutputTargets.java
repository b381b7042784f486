package dev.fornax.io;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What an output path may be. fornax writes every output to a temporary sibling and renames it
 * into place, which replaces the node at the path: so the path must be new, or already hold what
 * is written (a regular file; a directory for directory outputs). A FIFO, a device, a socket or a
 * symbolic link is refused before anything is written; the node is never touched. (Writing through
 * a symbolic link is not done either: the rename would replace the link, not the file it names.)
 */
public final class OutputTargets {
    private OutputTargets() {}

    /** A file output: a new path in an existing directory, or an existing regular file. */
    public static void requireFile(Path target, String label) {
        BasicFileAttributes a = attributes(target, label);
        if (a == null) {
            requireParentDirectory(target, label);
            return;
        }
        if (a.isDirectory()) {
            throw new FornaxException(label + " " + target + " is a directory; name a file");
        }
        if (!a.isRegularFile()) {
            throw refused(target, label, a, "a regular file or a new path");
        }
    }

    /** A directory output: a new path, or an existing directory (whose contents the caller vets). */
    public static void requireDirectory(Path target, String label) {
        BasicFileAttributes a = attributes(target, label);
        if (a == null) {
            return;
        }
        if (!a.isDirectory()) {
            throw a.isRegularFile()
                    ? new FornaxException(label + " " + target + " exists and is a file; name a directory")
                    : refused(target, label, a, "a directory or a new path");
        }
    }

    /** "a FIFO", "a character device", ...; "a symbolic link"; null when it is a file or directory. */
    public static String specialKind(Path p) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        return a.isRegularFile() || a.isDirectory() ? null : kind(p, a);
    }

    private static FornaxException refused(Path target, String label, BasicFileAttributes a, String wanted) {
        return new FornaxException(label + " " + target + " is " + kind(target, a) + "; fornax writes its output"
                + " next to it and renames it into place, which would replace it: name " + wanted);
    }

    private static BasicFileAttributes attributes(Path target, String label) {
        try {
            return Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new FornaxException(label + " " + target + ": " + IoErrors.describe(e), e);
        }
    }

    private static void requireParentDirectory(Path target, String label) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new FornaxException(label + " " + target + ": the directory " + dir + " does not exist");
        }
    }

    private static String kind(Path p, BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            return "a symbolic link";
        }
        try {
            int type = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            switch (type) {
                case 0010000: return "a FIFO (named pipe)";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // no unix view: fall through to the generic word
        }
        return "a special file";
    }
}
