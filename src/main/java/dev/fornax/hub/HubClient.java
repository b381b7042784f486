package dev.fornax.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.FornaxException;
import dev.fornax.progress.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hub's HTTP endpoints as huggingface_hub uses them:
 * {@code GET /api/models/{repo}/revision/{rev}} for the commit and the file list;
 * {@code HEAD /{repo}/resolve/{commit}/{file}} for X-Repo-Commit, the etag (X-Linked-Etag, else
 * ETag, W/ and quotes dropped), the size (X-Linked-Size, else Content-Length) and, for LFS files,
 * a redirect to the storage that serves them (relative redirects, a renamed repository, are
 * followed; an absolute one is where the bytes are); then {@code GET} of that location, with
 * {@code Range: bytes=N-} to resume. The bearer token is sent to the endpoint's host only.
 */
final class HubClient {
    static final String USER_AGENT = "fornax/0.1.0";
    private static final int MAX_REDIRECTS = 10;
    /** Attempts in a row that bring no new byte before a transfer counts as interrupted (huggingface_hub: 5). */
    static final int RETRIES = 5;
    /**
     * No answer (headers) or no body bytes for this long ends the request, as huggingface_hub's
     * HF_HUB_ETAG_TIMEOUT / HF_HUB_DOWNLOAD_TIMEOUT (10 s) do; a body that stalls that long is not
     * retried (a server that stalls once stalls again): the partial file is kept for the next run.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fornax-download-watchdog");
                t.setDaemon(true);
                return t;
            });

    private final HubEnvironment env;
    private final HttpClient http;
    private final long retryPauseMillis;

    HubClient(HubEnvironment env, long retryPauseMillis) {
        this.env = env;
        this.retryPauseMillis = retryPauseMillis;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The commit a revision names and the repository's files at it. */
    record RepoInfo(String commit, Set<String> files) {}

    /** What HEAD said about one file. */
    record FileMeta(String file, String commit, String etag, long size, URI location) {}

    /** Thrown when a transfer broke off after the retries; the partial file is kept for the next run. */
    static final class Interrupted extends FornaxException {
        private static final long serialVersionUID = 1L;

        Interrupted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    RepoInfo info(RepoRef ref) {
        URI uri = URI.create(env.endpoint() + "/api/models/" + ref.repoId() + "/revision/" + quote(ref.revision(), false));
        HttpResponse<byte[]> r = send(request(uri, "GET", true), HttpResponse.BodyHandlers.ofByteArray(), ref, null);
        if (r.statusCode() != 200) {
            throw failure(r.statusCode(), r.headers(), ref, null, uri);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new FornaxException(ref + ": the hub's answer from " + uri + " is not JSON: " + e.getMessage(), e);
        }
        String sha = root == null || root.get("sha") == null ? "" : root.get("sha").asText();
        if (!RepoRef.isCommit(sha)) {
            throw new FornaxException(ref + ": the hub's answer from " + uri + " has no commit sha");
        }
        Set<String> files = new TreeSet<>();
        JsonNode siblings = root.get("siblings");
        if (siblings != null && siblings.isArray()) {
            siblings.forEach(s -> {
                if (s.hasNonNull("rfilename")) {
                    files.add(s.get("rfilename").asText());
                }
            });
        }
        return new RepoInfo(sha, files);
    }

    FileMeta head(RepoRef ref, String commit, String file) {
        URI uri = URI.create(env.endpoint() + "/" + ref.repoId() + "/resolve/" + quote(commit, false) + "/" + quote(file, true));
        for (int hop = 0; ; hop++) {
            HttpResponse<Void> r = send(request(uri, "HEAD", true), HttpResponse.BodyHandlers.discarding(), ref, file);
            int status = r.statusCode();
            HttpHeaders h = r.headers();
            String location = h.firstValue("Location").orElse(null);
            boolean redirect = status / 100 == 3 && location != null;
            if (redirect && URI.create(location).getHost() == null && hop < MAX_REDIRECTS) {
                uri = uri.resolve(location); // relative: a renamed repository; keep asking the hub
                continue;
            }
            if (status != 200 && !redirect) {
                throw failure(status, h, ref, file, uri);
            }
            String fileCommit = h.firstValue("X-Repo-Commit").orElse(null);
            String etag = etag(h.firstValue("X-Linked-Etag").orElse(h.firstValue("ETag").orElse(null)));
            String size = h.firstValue("X-Linked-Size").orElse(redirect ? null : h.firstValue("Content-Length").orElse(null));
            if (fileCommit == null) {
                throw new FornaxException(ref + ": " + file + ": the answer from " + uri + " has no X-Repo-Commit"
                        + " (is HF_ENDPOINT a Hugging Face hub?)");
            }
            if (etag == null || etag.isEmpty() || etag.contains("/") || etag.contains("..")) {
                throw new FornaxException(ref + ": " + file + ": the answer from " + uri + " has no usable ETag");
            }
            long n;
            try {
                n = Long.parseLong(size == null ? "" : size.strip());
            } catch (NumberFormatException e) {
                throw new FornaxException(ref + ": " + file + ": the answer from " + uri + " has no file size");
            }
            return new FileMeta(file, fileCommit, etag, n, redirect ? uri.resolve(location) : uri);
        }
    }

    /**
     * Fetches a file into {@code partial} (appending to what an earlier, interrupted transfer left
     * there), resuming with Range after a broken connection, and checks its size and hash.
     */
    void fetch(RepoRef ref, FileMeta m, Path partial, Progress progress) {
        MessageDigest digest = Etags.digest(m.etag(), m.size());
        long have = sizeOf(partial);
        if (have > m.size()) {
            delete(partial);
            have = 0;
        }
        Etags.feed(digest, partial, have);
        progress.advance(have);
        int fruitless = 0;
        IOException last = null;
        while (have < m.size()) {
            long before = have;
            try {
                have = transfer(ref, m, partial, have, digest, progress);
            } catch (IOException e) {
                last = e;
                have = sizeOf(partial);
            }
            if (have < m.size()) {
                fruitless = have > before ? 0 : fruitless + 1;
                if (fruitless >= RETRIES) {
                    throw new Interrupted(String.format(Locale.ROOT, "download of %s from %s broke off at %,d of %,d bytes"
                            + " (%s); run the command again to resume", m.file(), ref, have, m.size(),
                            last == null ? "connection closed" : last.getMessage()), last);
                }
                pause();
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (have != m.size() || !Etags.matches(m.etag(), actual)) {
            delete(partial);
            throw new FornaxException(String.format(Locale.ROOT, "%s from %s is corrupt: %s %s, expected %s (its etag);"
                    + " nothing was kept", m.file(), ref, Etags.algorithm(m.etag()), actual, m.etag()));
        }
    }

    /** One GET from {@code have} on; returns the bytes the partial file then holds. */
    private long transfer(RepoRef ref, FileMeta m, Path partial, long have, MessageDigest digest, Progress progress)
            throws IOException {
        URI uri = m.location();
        HttpResponse<InputStream> r = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(uri, "GET", sameHost(uri));
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            // a connection that breaks before the body's first byte is a broken transfer like one
            // that breaks later (retried, then "broke off at"), not an unreachable server
            try {
                r = sendOrBreak(b);
            } catch (java.net.http.HttpTimeoutException e) {
                // no headers within TIMEOUT: a stalled server, not retried (as a stalled body)
                throw new Interrupted(String.format(Locale.ROOT, "download of %s from %s stalled: no answer within %d s at"
                        + " %,d of %,d bytes; run the command again to resume", m.file(), ref, TIMEOUT.toSeconds(), have,
                        m.size()), e);
            }
            String location = r.headers().firstValue("Location").orElse(null);
            if (r.statusCode() / 100 == 3 && location != null) {
                r.body().close();
                uri = uri.resolve(location);
                continue;
            }
            break;
        }
        int status = r.statusCode();
        if (status != 200 && status != 206) {
            r.body().close();
            throw failure(status, r.headers(), ref, m.file(), uri);
        }
        boolean append = status == 206;
        if (!append && have > 0) {
            // the server ignored Range: start over (as huggingface_hub does)
            Etags.restart(digest, m.etag(), m.size());
            progress.advance(-have);
            have = 0;
        }
        // the HTTP client's timeout covers the headers only: a body that stops arriving would block
        // read() for ever, so a watchdog interrupts the read (and closes the body) after TIMEOUT
        InputStream body = r.body();
        Thread reader = Thread.currentThread();
        java.util.concurrent.atomic.AtomicLong lastData = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastData.get() > TIMEOUT.toNanos() && stalled.compareAndSet(false, true)) {
                reader.interrupt();
                try {
                    body.close();
                } catch (IOException e) {
                    // the interrupt alone ends the read
                }
            }
        }, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
        try (InputStream in = body;
                OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while (!stalled.get() && (n = in.read(buf)) > 0) {
                lastData.set(System.nanoTime());
                if (have + n > m.size()) {
                    throw new FornaxException(String.format(Locale.ROOT, "%s from %s: the server sent more than the %,d bytes"
                            + " X-Linked-Size announced; nothing was kept", m.file(), ref, m.size()));
                }
                out.write(buf, 0, n);
                digest.update(buf, 0, n);
                have += n;
                progress.advance(n);
            }
        } catch (FornaxException e) {
            delete(partial);
            throw e;
        } catch (IOException e) {
            if (!stalled.get()) {
                throw e;
            }
        } finally {
            watch.cancel(false);
            if (stalled.get()) {
                Thread.interrupted(); // the watchdog's interrupt is spent here
            }
        }
        if (stalled.get()) {
            throw new Interrupted(String.format(Locale.ROOT, "download of %s from %s stalled: no data for %d s at %,d of"
                    + " %,d bytes; run the command again to resume", m.file(), ref, TIMEOUT.toSeconds(), sizeOf(partial),
                    m.size()), null);
        }
        return have;
    }

    private HttpRequest.Builder request(URI uri, String method, boolean withToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(TIMEOUT).header("User-Agent", USER_AGENT).header("Accept-Encoding", "identity");
        if (withToken && env.token() != null) {
            b.header("Authorization", "Bearer " + env.token());
        }
        return b;
    }

    private boolean sameHost(URI uri) {
        URI endpoint = URI.create(env.endpoint());
        return endpoint.getHost() != null && endpoint.getHost().equalsIgnoreCase(uri.getHost())
                && endpoint.getPort() == uri.getPort();
    }

    private HttpResponse<InputStream> sendOrBreak(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FornaxException("interrupted while fetching " + b.build().uri(), e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> body, RepoRef ref, String file) {
        HttpRequest req = b.build();
        try {
            return http.send(req, body);
        } catch (IOException e) {
            throw new FornaxException("cannot reach " + req.uri().getScheme() + "://" + req.uri().getAuthority()
                    + " for " + ref + (file == null ? "" : " " + file) + ": " + describe(e)
                    + " (HF_HUB_OFFLINE=1 uses only the cache)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FornaxException("interrupted while fetching " + ref, e);
        }
    }

    /** The one line for an HTTP error, in huggingface_hub's terms (X-Error-Code decides first). */
    private FornaxException failure(int status, HttpHeaders h, RepoRef ref, String file, URI uri) {
        String code = h.firstValue("X-Error-Code").orElse("");
        String message = h.firstValue("X-Error-Message").map(s -> ": " + s).orElse("");
        String where = " (HTTP " + status + message + " from " + uri + ")";
        String what;
        if (code.equals("RevisionNotFound")) {
            what = ref.repoId() + " has no revision '" + ref.revision() + "'";
        } else if (code.equals("EntryNotFound") || status == 404 && file != null && !code.equals("RepoNotFound")) {
            what = ref + " has no file " + file;
        } else if (code.equals("GatedRepo") || status == 403) {
            what = ref.repoId() + " is gated or forbidden for " + (env.token() == null ? "anonymous access; set HF_TOKEN"
                    : "the account of HF_TOKEN; accept the model's terms on the hub");
        } else if (status == 401) {
            what = ref.repoId() + (env.token() == null
                    ? ": repository not found, or private and needs a token; set HF_TOKEN"
                    : ": repository not found, or HF_TOKEN gives no access to it");
        } else if (status == 404 || code.equals("RepoNotFound")) {
            what = ref.repoId() + ": repository not found";
        } else {
            what = ref + (file == null ? "" : " " + file) + ": the hub did not answer as expected";
        }
        return new FornaxException(what + where);
    }

    /** In words, not class names ("connection refused", "no answer within 10 s", "unknown host X"). */
    static String describe(IOException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "no connection within 10 s";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : "connection failed";
        }
        return m.replace("java.net.", "").replace("java.io.", "");
    }

    private static String etag(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        if (s.startsWith("W/")) {
            s = s.substring(2);
        }
        return s.replace("\"", "");
    }

    /** urllib.parse.quote: revisions with safe="" (refs/pr/1 -> refs%2Fpr%2F1), file names keep "/". */
    static String quote(String s, boolean keepSlash) {
        String q = URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
        return keepSlash ? q.replace("%2F", "/") : q;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            throw new FornaxException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new FornaxException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryPauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FornaxException("interrupted while fetching", e);
        }
    }
}
