package dev.fornax.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files that ship in the Fornax repository rather than in the jar (the bundled model, the tool
 * installer): looked up next to the build output (target/fornax.jar or target/classes, so the
 * repository root is two levels up), else under the working directory.
 */
final class RepoFile {
    private RepoFile() {}

    /** The file, or null when neither place has it. */
    static Path find(String relative) {
        try {
            Path code = Path.of(RepoFile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            if (root != null && Files.isRegularFile(root.resolve(relative))) {
                return root.resolve(relative);
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        Path local = Path.of(relative);
        return Files.isRegularFile(local) ? local : null;
    }
}
