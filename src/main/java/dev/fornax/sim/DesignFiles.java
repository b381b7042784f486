package dev.fornax.sim;

import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.JsonFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of a compiled design as its manifest names them. Every path must stay inside the
 * design directory (no absolute path, no "..", no symbolic link leading out): a manifest is data,
 * and a hostile one must not make Verilator compile /etc/hostname or a harness read another file.
 * Before anything is built or simulated, every file must still have the SHA-256 the compiler
 * recorded ({@code sha256} in manifest.json), so a deleted, truncated or edited file is reported as
 * such, naming the first one, instead of surfacing later as a logit mismatch (an apparent RTL bug).
 */
public final class DesignFiles {
    private DesignFiles() {}

    /** {@code dir/relative}, refused (naming the manifest and its field) unless it lies inside {@code dir}. */
    public static Path confined(Path dir, String relative, Path manifest, String field) {
        Path base = dir.toAbsolutePath().normalize();
        Path p;
        try {
            p = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new FornaxException(manifest + ": " + field + " '" + JsonFiles.shorten(relative, 100) + "' is not a path");
        }
        Path resolved = base.resolve(p).normalize();
        if (p.isAbsolute() || relative.isEmpty() || !resolved.startsWith(base) || resolved.equals(base)) {
            throw new FornaxException(manifest + ": " + field + " '" + JsonFiles.shorten(relative, 100)
                    + "' is not a file inside the design directory " + base);
        }
        if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (!resolved.toRealPath().startsWith(base.toRealPath())) {
                    throw new FornaxException(manifest + ": " + field + " '" + JsonFiles.shorten(relative, 100)
                            + "' leads out of the design directory " + base + " (a symbolic link)");
                }
            } catch (IOException e) {
                throw new FornaxException(manifest + ": " + field + " '" + relative + "': " + IoErrors.describe(e), e);
            }
        }
        return resolved;
    }

    /**
     * Every file of {@code sha256} (paths relative to {@code dir}, sorted) must exist with that
     * hash, and with the size {@code sizes} records for it (when it does: a size mismatch is named
     * as such, before the file is read); files in {@code regenerable} (the testbench, which verify
     * writes again when it is missing) may be missing. Names the first file that is missing or differs.
     */
    public static void requireIntact(Path dir, Map<String, String> sha256, Map<String, Long> sizes, Path manifest,
            java.util.function.Predicate<String> regenerable) {
        String recompile = "; recompile the design with fornax compile";
        for (Map.Entry<String, String> e : new TreeMap<>(sha256).entrySet()) {
            Path f = confined(dir, e.getKey(), manifest, "sha256 entry");
            if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                if (regenerable.test(e.getKey())) {
                    continue;
                }
                throw new FornaxException(f + " is missing: the design is incomplete (" + manifest.getFileName()
                        + " lists it)" + recompile);
            }
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new FornaxException(f + " is not a regular file" + recompile);
            }
            Long expected = sizes.get(e.getKey());
            if (expected != null) {
                long size;
                try {
                    size = Files.size(f);
                } catch (IOException ex) {
                    throw new FornaxException(f + ": cannot read: " + IoErrors.describe(ex), ex);
                }
                if (size != expected) {
                    throw new FornaxException(f + (size < expected ? " is truncated" : " has grown") + ": " + size
                            + " bytes, " + manifest.getFileName() + " records " + expected + recompile);
                }
            }
            String actual = sha256(f);
            if (!actual.equalsIgnoreCase(e.getValue())) {
                throw new FornaxException(f + " is corrupt or was edited: its SHA-256 is " + actual.substring(0, 16)
                        + "…, " + manifest.getFileName() + " records " + e.getValue().substring(0, 16).toLowerCase(java.util.Locale.ROOT) + "…" + recompile);
            }
        }
    }

    static String sha256(Path f) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 20];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchFileException e) {
            throw new FornaxException(f + " is missing: recompile the design with fornax compile");
        } catch (IOException e) {
            throw new FornaxException(f + ": cannot read: " + IoErrors.describe(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
