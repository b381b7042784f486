package dev.fornax.hub;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * What a hub etag promises about a file's bytes. An LFS file's etag is the sha256 of its
 * contents; a file kept in git has its git blob id, sha1 over "blob SIZE\0" and the contents.
 * Another form (a mirror's own) cannot be checked: then only the size is.
 */
final class Etags {
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern GIT_SHA1 = Pattern.compile("^[0-9a-f]{40}$");

    private Etags() {}

    static String algorithm(String etag) {
        return GIT_SHA1.matcher(etag).matches() ? "git sha1" : "sha256";
    }

    /** A digest ready for the contents (the git blob header already fed when the etag is a git id). */
    static MessageDigest digest(String etag, long size) {
        try {
            MessageDigest d = MessageDigest.getInstance(GIT_SHA1.matcher(etag).matches() ? "SHA-1" : "SHA-256");
            restart(d, etag, size);
            return d;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void restart(MessageDigest d, String etag, long size) {
        d.reset();
        if (GIT_SHA1.matcher(etag).matches()) {
            d.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        }
    }

    static boolean matches(String etag, String hex) {
        boolean checkable = SHA256.matcher(etag).matches() || GIT_SHA1.matcher(etag).matches();
        return !checkable || etag.equals(hex);
    }

    /** Feeds the first {@code n} bytes of a file (what an interrupted transfer left). */
    static void feed(MessageDigest d, Path file, long n) {
        if (n == 0) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            long left = n;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new IOException("shorter than " + n + " bytes");
                }
                d.update(buf, 0, r);
                left -= r;
            }
        } catch (IOException e) {
            throw new FornaxException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
