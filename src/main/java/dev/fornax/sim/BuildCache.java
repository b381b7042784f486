package dev.fornax.sim;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where built simulators live: FORNAX_CACHE, else $XDG_CACHE_HOME/fornax, else ~/.cache/fornax;
 * one directory per content hash (tool version + options + RTL + harness), so a design that did
 * not change is never rebuilt and two designs never share a stale model.
 */
final class BuildCache {
    private BuildCache() {}

    static Path root() {
        String env = System.getenv("FORNAX_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("fornax");
    }

    /** SHA-256 over the given strings and the contents of the given files (names included). */
    static String hash(List<String> strings, Path dir, List<String> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String s : strings) {
                feed(md, s.getBytes(StandardCharsets.UTF_8));
            }
            for (String f : files) {
                feed(md, f.getBytes(StandardCharsets.UTF_8));
                Path p = dir.resolve(f);
                try {
                    feed(md, Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new FornaxException("cannot read " + p + ": " + e.getMessage(), e);
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every regular file under the include directories, sorted, as paths relative to dir. */
    static List<String> includeFiles(Path dir, List<String> includeDirs) {
        return includeDirs.stream().flatMap(inc -> {
            try (Stream<Path> s = Files.walk(dir.resolve(inc))) {
                return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList().stream();
            } catch (IOException e) {
                throw new FornaxException("cannot list include directory " + dir.resolve(inc) + ": " + e.getMessage(), e);
            }
        }).sorted().toList();
    }

    private static void feed(MessageDigest md, byte[] bytes) {
        md.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);
        md.update(bytes);
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new FornaxException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
