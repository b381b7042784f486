package dev.fornax.hub;

import dev.fornax.FornaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MODEL arguments that name a Hugging Face repository ({@code org/name[@revision]}) when no such
 * path exists: the model directory is its snapshot in the HF cache, where Python tools may have
 * put it already; with --download, what is missing is fetched first.
 */
public final class HubModels {
    private HubModels() {}

    /** A revision's snapshot in the cache and the first needed file it lacks (null: complete). */
    record Cached(Path snapshot, String commit, String missing) {}

    /**
     * The path itself when it exists or is not shaped like a repo id; otherwise the cached
     * snapshot directory (fetched first when {@code download}). A repo not (completely) in the
     * cache without --download is an error that says how to fetch it.
     */
    public static Path locate(Path arg, boolean download) {
        return locate(arg, download, HubEnvironment.fromSystem());
    }

    static Path locate(Path arg, boolean download, HubEnvironment env) {
        // any node at the path, a broken link too, is the user's file (the loader says what is wrong with it)
        if (arg == null || Files.exists(arg, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return arg;
        }
        RepoRef ref = RepoRef.parse(arg.toString());
        if (ref == null) {
            return arg;
        }
        if (download) {
            return new HubDownload(env).run(ref).snapshot();
        }
        HfCache cache = new HfCache(env.cache());
        Cached c = cached(cache, ref);
        if (c != null && c.missing() == null) {
            return c.snapshot();
        }
        String state = c == null ? "not in the Hugging Face cache " + cache.root()
                : "incomplete in the Hugging Face cache (" + c.snapshot() + " has no " + c.missing() + ")";
        throw new FornaxException(arg + ": no such file or directory, and " + ref + " is " + state
                + "; fetch it with: fornax download " + arg + " (or add --download)");
    }

    static Cached cached(HfCache cache, RepoRef ref) {
        String commit = cache.commitOf(ref);
        if (commit == null) {
            return null;
        }
        Path snapshot = cache.snapshot(ref, commit);
        if (!Files.isDirectory(snapshot)) {
            return null;
        }
        return new Cached(snapshot, commit, ModelFiles.missing(snapshot));
    }
}
