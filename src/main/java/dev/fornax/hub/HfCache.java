package dev.fornax.hub;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The Hugging Face cache exactly as huggingface_hub lays it out, so models Python tools fetched
 * are reused in place and what Fornax fetches is theirs too:
 * <pre>
 * CACHE/models--org--name/
 *   refs/REVISION                     the commit hash a branch or tag resolved to
 *   blobs/ETAG                        file contents, named by their etag (sha256 for LFS, git sha1 otherwise)
 *   blobs/ETAG.incomplete             a transfer in progress or interrupted (resumed with Range)
 *   snapshots/COMMIT/FILE -> ../../blobs/ETAG   (relative symlinks)
 * CACHE/.locks/models--org--name/ETAG.lock
 * </pre>
 */
public final class HfCache {
    private final Path root;

    public HfCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path storage(RepoRef ref) {
        return root.resolve(ref.folderName());
    }

    public Path blob(RepoRef ref, String etag) {
        return storage(ref).resolve("blobs").resolve(etag);
    }

    public Path lock(RepoRef ref, String etag) {
        return root.resolve(".locks").resolve(ref.folderName()).resolve(etag + ".lock");
    }

    public Path snapshot(RepoRef ref, String commit) {
        return storage(ref).resolve("snapshots").resolve(commit);
    }

    /** The commit the revision stands for in the cache: itself when a commit hash, else refs/REVISION; or null. */
    public String commitOf(RepoRef ref) {
        if (ref.isCommit()) {
            return ref.revision();
        }
        Path refFile = storage(ref).resolve("refs").resolve(ref.revision());
        if (!Files.isRegularFile(refFile)) {
            return null;
        }
        try {
            String commit = Files.readString(refFile, StandardCharsets.UTF_8).strip();
            return RepoRef.isCommit(commit) ? commit : null;
        } catch (IOException e) {
            throw new FornaxException("cannot read " + refFile + ": " + e.getMessage(), e);
        }
    }

    /** Records that REVISION resolved to COMMIT (a temporary file renamed into place, as huggingface_hub does). */
    public void writeRef(RepoRef ref, String commit) {
        if (ref.revision().equals(commit)) {
            return;
        }
        Path refFile = storage(ref).resolve("refs").resolve(ref.revision());
        try {
            if (Files.isRegularFile(refFile) && Files.readString(refFile, StandardCharsets.UTF_8).equals(commit)) {
                return;
            }
            Files.createDirectories(refFile.getParent());
            Path tmp = refFile.resolveSibling(refFile.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
            Files.writeString(tmp, commit, StandardCharsets.UTF_8);
            move(tmp, refFile);
        } catch (IOException e) {
            throw new FornaxException("cannot write " + refFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes snapshots/COMMIT/FILE a relative symlink to the blob, replacing what was there by a
     * rename (a link made under a temporary name), so a reader never sees it missing or half made.
     */
    public Path link(RepoRef ref, String commit, String file, String etag) {
        Path pointer = snapshot(ref, commit).resolve(file);
        Path blob = blob(ref, etag);
        try {
            Files.createDirectories(pointer.getParent());
            Path target = pointer.getParent().relativize(blob);
            if (Files.isSymbolicLink(pointer) && Files.readSymbolicLink(pointer).equals(target)) {
                return pointer;
            }
            Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
            Files.createSymbolicLink(tmp, target);
            move(tmp, pointer);
            return pointer;
        } catch (IOException | UnsupportedOperationException e) {
            throw new FornaxException("cannot link " + pointer + " to " + blob + ": " + e.getMessage(), e);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
