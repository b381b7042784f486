package dev.fornax.hub;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A stand-in for the Hugging Face hub on 127.0.0.1, answering the way huggingface.co does (as
 * huggingface_hub's file_download.py and utils/_http.py expect it):
 * <ul>
 * <li>{@code GET /api/models/{repo}/revision/{rev}}: {"id", "sha", "siblings": [{"rfilename"}]};
 * <li>{@code HEAD|GET /{repo}/resolve/{rev}/{file}}: a git file answers 200 with ETag = its git
 *     blob id; an LFS file (*.safetensors) 302 to an absolute storage URL with X-Linked-Etag = its
 *     sha256 and X-Linked-Size; both with X-Repo-Commit;
 * <li>{@code GET /cdn/{sha256}}: the LFS bytes, honouring {@code Range: bytes=N-} with 206;
 * <li>errors with X-Error-Code: a private or unknown repo 401 RepoNotFound without a valid token
 *     (404 with one), RevisionNotFound, EntryNotFound.
 * </ul>
 * Faults: cut a transfer at an absolute byte offset (once or always), corrupt a file's bytes.
 */
final class FakeHub implements AutoCloseable {
    /** One repository at one commit; tags map names to the commit. */
    static final class Repo {
        final String commit;
        final Map<String, byte[]> files = new TreeMap<>();
        final Map<String, String> refs = new TreeMap<>();
        boolean isPrivate;

        Repo(String commit) {
            this.commit = commit;
            refs.put("main", commit);
        }
    }

    static final String TOKEN = "hf_fornaxTestToken";

    private final HttpServer server;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final Map<String, byte[]> lfs = new ConcurrentHashMap<>();
    private final Map<String, Long> cutAt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cutAlways = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> gone = new ConcurrentHashMap<>();
    private final Map<String, Long> stallAt = new ConcurrentHashMap<>();
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Repo add(String id, String commit, Path dir, String... extraFiles) throws IOException {
        Repo r = new Repo(commit);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                r.files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        for (String f : extraFiles) {
            r.files.put(f, ("not a model file: " + f + "\n").getBytes(StandardCharsets.UTF_8));
        }
        repos.put(id, r);
        r.files.forEach((name, bytes) -> {
            if (isLfs(name)) {
                lfs.put(sha256(bytes), bytes);
            }
        });
        return r;
    }

    void rename(String oldId, String newId) {
        renamed.put(oldId, newId);
    }

    /** The next GET of the file's bytes (or every one, when always) breaks off at this absolute offset. */
    void cut(String file, long offset, boolean always) {
        cutAt.put(file, offset);
        cutAlways.put(file, always);
    }

    void clearFaults() {
        cutAt.clear();
        corrupt.clear();
    }

    /** The file is served with one byte changed (its etag stays that of the true bytes). */
    /** Every transfer of FILE sends up to byte OFFSET, then nothing more until the hub is closed. */
    void stall(String file, long offset) {
        stallAt.put(file, offset);
    }

    void corrupt(String file) {
        corrupt.put(file, true);
    }

    /** The file stays in the listing but its resolve URL answers 404 EntryNotFound. */
    void gone(String file) {
        gone.put(file, true);
    }

    static boolean isLfs(String name) {
        return name.endsWith(".safetensors");
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** git hash-object: sha1 over "blob SIZE\0" and the bytes. */
    static String gitBlobId(byte[] b) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-1");
            d.update(("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getRawPath();
            String range = x.getRequestHeaders().getFirst("Range");
            String auth = x.getRequestHeaders().getFirst("Authorization");
            log.add(x.getRequestMethod() + " " + path + (range == null ? "" : " Range:" + range) + (auth == null ? "" : " auth"));
            if (path.startsWith("/api/models/")) {
                api(x, path.substring("/api/models/".length()), auth);
            } else if (path.startsWith("/cdn/")) {
                cdn(x, path.substring(5), range);
            } else {
                resolve(x, path.substring(1), auth);
            }
        } finally {
            x.close();
        }
    }

    private void api(HttpExchange x, String rest, String auth) throws IOException {
        int rev = rest.indexOf("/revision/");
        String id = rest.substring(0, rev);
        String revision = URLDecoder.decode(rest.substring(rev + "/revision/".length()), StandardCharsets.UTF_8);
        Repo r = access(x, id, auth);
        if (r == null) {
            return;
        }
        String commit = commitOf(r, revision);
        if (commit == null) {
            error(x, 404, "RevisionNotFound", "Invalid rev id: " + revision, null);
            return;
        }
        StringBuilder json = new StringBuilder("{\"_id\":\"x\",\"id\":\"" + id + "\",\"sha\":\"" + commit + "\",\"siblings\":[");
        String sep = "";
        for (String f : r.files.keySet()) {
            json.append(sep).append("{\"rfilename\":\"").append(f).append("\"}");
            sep = ",";
        }
        json.append("]}");
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
    }

    private void resolve(HttpExchange x, String rest, String auth) throws IOException {
        // {org}/{name}/resolve/{rev}/{file...}
        int at = rest.indexOf("/resolve/");
        String id = rest.substring(0, at);
        String[] tail = rest.substring(at + "/resolve/".length()).split("/", 2);
        if (renamed.containsKey(id)) {
            x.getResponseHeaders().set("Location", "/" + renamed.get(id) + "/resolve/" + tail[0] + "/" + tail[1]);
            x.sendResponseHeaders(307, -1);
            return;
        }
        Repo r = access(x, id, auth);
        if (r == null) {
            return;
        }
        String commit = commitOf(r, URLDecoder.decode(tail[0], StandardCharsets.UTF_8));
        if (commit == null) {
            error(x, 404, "RevisionNotFound", "Invalid rev id: " + tail[0], null);
            return;
        }
        String file = URLDecoder.decode(tail[1], StandardCharsets.UTF_8);
        byte[] bytes = r.files.get(file);
        if (bytes == null || gone.containsKey(file)) {
            error(x, 404, "EntryNotFound", "Entry not found", commit);
            return;
        }
        Headers h = x.getResponseHeaders();
        h.set("X-Repo-Commit", commit);
        if (isLfs(file)) {
            String sha = sha256(bytes);
            h.set("ETag", "\"" + gitBlobId(("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha + "\n").getBytes(StandardCharsets.UTF_8)) + "\"");
            h.set("X-Linked-Etag", "\"" + sha + "\"");
            h.set("X-Linked-Size", Long.toString(bytes.length));
            h.set("Location", endpoint() + "/cdn/" + sha + "?name=" + file + "&X-Amz-Signature=fake");
            x.sendResponseHeaders(302, -1);
            return;
        }
        h.set("ETag", "\"" + gitBlobId(bytes) + "\"");
        if (x.getRequestMethod().equals("HEAD")) {
            h.set("Content-Length", Long.toString(bytes.length));
            x.sendResponseHeaders(200, -1);
            return;
        }
        serve(x, file, bytes, null);
    }

    private void cdn(HttpExchange x, String sha, String range) throws IOException {
        byte[] bytes = lfs.get(sha);
        if (bytes == null) {
            x.sendResponseHeaders(404, -1);
            return;
        }
        String query = x.getRequestURI().getQuery();
        String file = query.substring(query.indexOf("name=") + 5, query.indexOf('&'));
        serve(x, file, bytes, range);
    }

    private void serve(HttpExchange x, String file, byte[] bytes, String range) throws IOException {
        if (corrupt.containsKey(file)) {
            bytes = bytes.clone();
            bytes[bytes.length / 2] ^= 0x5a;
        }
        long from = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Long.parseLong(range.substring(6, range.length() - 1));
        }
        int status = from > 0 ? 206 : 200;
        if (from > 0) {
            x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        long length = bytes.length - from;
        x.sendResponseHeaders(status, length);
        OutputStream out = x.getResponseBody();
        Long stall = stallAt.get(file);
        if (stall != null && stall >= from) {
            out.write(bytes, (int) from, (int) (stall - from));
            out.flush();
            try {
                released.await(); // the connection stays open, silent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("fake hub: transfer of " + file + " stalled at byte " + stall);
        }
        Long cut = cutAt.get(file);
        if (cut != null && cut >= from) {
            if (!cutAlways.getOrDefault(file, false)) {
                cutAt.remove(file);
            }
            out.write(bytes, (int) from, (int) (cut - from));
            out.flush();
            // the connection drops mid-body: the client sees fewer bytes than Content-Length
            throw new IOException("fake hub: transfer of " + file + " cut at byte " + cut);
        }
        out.write(bytes, (int) from, (int) length);
    }

    private Repo access(HttpExchange x, String id, String auth) throws IOException {
        Repo r = repos.get(id);
        boolean authorized = ("Bearer " + TOKEN).equals(auth);
        if (r == null || r.isPrivate && !authorized) {
            // huggingface.co: 401 for anonymous (and bad-token) requests, 404 when authenticated
            error(x, authorized ? 404 : 401, "RepoNotFound", authorized ? "Repository not found"
                    : "Invalid username or password.", null);
            return null;
        }
        return r;
    }

    private static String commitOf(Repo r, String revision) {
        if (revision.equals(r.commit)) {
            return r.commit;
        }
        return r.refs.get(revision);
    }

    private static void error(HttpExchange x, int status, String code, String message, String commit) throws IOException {
        x.getResponseHeaders().set("X-Error-Code", code);
        x.getResponseHeaders().set("X-Error-Message", message);
        if (commit != null) {
            x.getResponseHeaders().set("X-Repo-Commit", commit);
        }
        byte[] body = ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        if (x.getRequestMethod().equals("HEAD")) {
            x.sendResponseHeaders(status, -1);
        } else {
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
