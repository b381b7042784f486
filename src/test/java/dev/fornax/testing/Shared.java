package dev.fornax.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared (fixtures and tokenizers that CI and developers have, users may not).
 * Missing → the test is skipped on a developer machine, but fails under CI=true.
 */
public final class Shared {
    private Shared() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The shared folder, or null. Looked up from FORNAX_SHARED, then ../shared of the repo. */
    public static Path rootOrNull() {
        String env = System.getenv("FORNAX_SHARED");
        if (env != null && Files.isDirectory(Path.of(env))) {
            return Path.of(env);
        }
        Path candidate = Path.of("").toAbsolutePath().getParent().resolve("shared");
        return Files.isDirectory(candidate) ? candidate : null;
    }

    /** Resolves a path under ../shared; skips (or fails under CI) when it is absent. */
    public static Path require(String relative) {
        Path root = rootOrNull();
        Path p = root == null ? null : root.resolve(relative);
        boolean present = p != null && Files.exists(p);
        if (!present && inCi()) {
            throw new AssertionError("../shared/" + relative + " is required under CI=true but missing");
        }
        assumeTrue(present, "../shared/" + relative + " not present");
        return p;
    }

    /** Fails under CI when a tool is missing, otherwise skips. */
    public static void requireTool(String tool) {
        boolean present = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                present = true;
                break;
            }
        }
        if (!present && inCi()) {
            throw new AssertionError(tool + " is required under CI=true but not on PATH");
        }
        assumeTrue(present, tool + " not on PATH");
    }
}
