package dev.fornax.hub;

import dev.fornax.FornaxException;
import dev.fornax.progress.Progress;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code fornax download REPO[@REV]}: the files a model needs ({@link ModelFiles}) fetched from
 * the hub into the HF cache, in its layout ({@link HfCache}). Order: the file list and every
 * file's metadata first (only the small shard index is fetched before the shards' metadata, so
 * a 401/404 leaves the cache as it was and the progress knows the whole size), then each missing
 * blob into {@code blobs/ETAG.incomplete} under huggingface_hub's lock file, checked against its
 * etag and renamed into place, and only when all are there the snapshot links and refs/REV. A
 * transfer that breaks off keeps its partial file, which the next run resumes with Range; any
 * other failure removes what this run added (a corrupt blob leaves nothing behind).
 */
public final class HubDownload {
    /** What a download did: the snapshot directory (a model directory Fornax reads) and counts. */
    public record Result(Path snapshot, String commit, int files, int fetched, long bytesFetched) {}

    private final HubEnvironment env;
    private final HfCache cache;
    private final HubClient client;

    public HubDownload(HubEnvironment env) {
        this(env, 1000);
    }

    HubDownload(HubEnvironment env, long retryPauseMillis) {
        this.env = env;
        this.cache = new HfCache(env.cache());
        this.client = new HubClient(env, retryPauseMillis);
    }

    public Result run(RepoRef ref) {
        if (env.offline()) {
            HubModels.Cached c = HubModels.cached(cache, ref);
            if (c == null || c.missing() != null) {
                throw new FornaxException("HF_HUB_OFFLINE is set and " + ref + " is not "
                        + (c == null ? "in" : "complete in (no " + c.missing() + ")") + " the Hugging Face cache "
                        + cache.root());
            }
            return new Result(c.snapshot(), c.commit(), 0, 0, 0);
        }
        Path storage = cache.storage(ref);
        boolean newStorage = !Files.exists(storage);
        // the cache root and its .locks directory, when this run creates them, go too on failure
        Path locks = cache.lock(ref, "x").getParent().getParent();
        List<Path> newDirs = new ArrayList<>();
        if (!Files.exists(locks)) {
            newDirs.add(locks);
        }
        for (Path d = cache.root().toAbsolutePath(); d != null && !Files.exists(d); d = d.getParent()) {
            newDirs.add(d);
        }
        List<Path> added = new ArrayList<>();
        Run run = new Run(ref, added);
        try {
            HubClient.RepoInfo info = client.info(ref);
            run.commit = info.commit();
            // every file's metadata before the first byte, so the progress shows the whole size
            List<String> first = ModelFiles.first(ref, info.files());
            List<HubClient.FileMeta> todo = run.plan(first);
            if (first.contains(ModelFiles.INDEX)) {
                todo.stream().filter(m -> m.file().equals(ModelFiles.INDEX)).findFirst().ifPresent(run::fetchBlob);
                todo.removeIf(m -> m.file().equals(ModelFiles.INDEX));
                List<String> shards = ModelFiles.shards(run.path(ModelFiles.INDEX));
                for (String s : shards) {
                    if (!info.files().contains(s)) {
                        throw new FornaxException(ref + ": " + ModelFiles.INDEX + " names " + s
                                + ", which the repository does not have");
                    }
                }
                todo.addAll(run.plan(shards));
            }
            run.fetchAll(todo);
            for (Map.Entry<String, String> e : run.etags.entrySet()) {
                cache.link(ref, run.commit, e.getKey(), e.getValue());
            }
            cache.writeRef(ref, run.commit);
            return new Result(cache.snapshot(ref, run.commit), run.commit, run.files, run.fetched, run.bytes);
        } catch (HubClient.Interrupted e) {
            throw e; // partial file and finished blobs stay: the next run resumes
        } catch (RuntimeException e) {
            rollback(ref, added, newStorage, newDirs);
            throw e;
        } finally {
            run.close();
        }
    }

    /** The state of one download: the commit, each fetched file's etag, the progress display. */
    private final class Run implements AutoCloseable {
        final RepoRef ref;
        final List<Path> added;
        final Map<String, String> etags = new LinkedHashMap<>();
        String commit;
        int files;
        int fetched;
        long bytes;
        Progress progress;

        Run(RepoRef ref, List<Path> added) {
            this.ref = ref;
            this.added = added;
        }

        /** Where a needed file is now: its snapshot link, or the blob fetched in this run. */
        Path path(String file) {
            String etag = etags.get(file);
            return etag == null ? cache.snapshot(ref, commit).resolve(file) : cache.blob(ref, etag);
        }

        /** HEAD of each file the snapshot lacks (no write); the ones whose blob is missing too. */
        List<HubClient.FileMeta> plan(List<String> names) {
            List<HubClient.FileMeta> missing = new ArrayList<>();
            for (String f : names) {
                files++;
                if (Files.isRegularFile(cache.snapshot(ref, commit).resolve(f))) {
                    continue; // already in this snapshot, as huggingface_hub would leave it
                }
                HubClient.FileMeta m = client.head(ref, commit, f);
                if (!m.commit().equals(commit)) {
                    throw new FornaxException(ref + ": the hub answered commit " + m.commit() + " for " + f
                            + " instead of " + commit);
                }
                etags.put(f, m.etag());
                if (!Files.isRegularFile(cache.blob(ref, m.etag()))) {
                    missing.add(m);
                }
            }
            return missing;
        }

        void fetchAll(List<HubClient.FileMeta> missing) {
            if (missing.isEmpty()) {
                return;
            }
            long total = missing.stream().mapToLong(HubClient.FileMeta::size).sum();
            requireSpace(total);
            progress = Progress.start("download " + ref.repoId(), total, Progress.Unit.BYTES);
            for (HubClient.FileMeta m : missing) {
                progress.detail(m.file());
                fetchBlob(m);
            }
        }

        void fetchBlob(HubClient.FileMeta m) {
            Path blob = cache.blob(ref, m.etag());
            Path lock = cache.lock(ref, m.etag());
            try {
                Files.createDirectories(blob.getParent());
                Files.createDirectories(lock.getParent());
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock held = ch.lock()) {
                    Progress shown = progress != null ? progress : Progress.silent();
                    if (Files.isRegularFile(blob)) {
                        shown.advance(m.size()); // another process fetched it meanwhile
                        return;
                    }
                    Path partial = blob.resolveSibling(blob.getFileName() + ".incomplete");
                    client.fetch(ref, m, partial, shown);
                    HfCache.move(partial, blob);
                    added.add(blob);
                    fetched++;
                    bytes += m.size();
                }
            } catch (IOException e) {
                throw new FornaxException("cannot write " + blob + ": " + e.getMessage(), e);
            }
        }

        private void requireSpace(long bytes) {
            try {
                Path dir = cache.root();
                Files.createDirectories(dir);
                long free = Files.getFileStore(dir).getUsableSpace();
                if (free < bytes) {
                    throw new FornaxException(String.format(Locale.ROOT, "%s needs %.1f MB in %s, which has %.1f MB free",
                            ref, bytes / 1e6, dir, free / 1e6));
                }
            } catch (IOException e) {
                throw new FornaxException("cannot create the Hugging Face cache " + cache.root() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (progress != null) {
                progress.close();
            }
        }
    }

    private void rollback(RepoRef ref, List<Path> added, boolean newStorage, List<Path> newDirs) {
        try {
            for (Path p : added) {
                Files.deleteIfExists(p);
            }
            if (newStorage) {
                deleteTree(cache.storage(ref));
                deleteTree(cache.lock(ref, "x").getParent());
            }
            for (Path d : newDirs) { // innermost first; only while empty (another run may share them)
                try {
                    Files.deleteIfExists(d);
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    break;
                }
            }
        } catch (IOException e) {
            // the error being reported matters more; what is left is valid cache content
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
