package dev.fornax.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.cli.Main;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fornax download against {@link FakeHub}: success, 401, 404, a transfer cut and resumed, a corrupt blob. */
class HubDownloadTest {
    static final String REPO = "fornax-test/tiny-llama";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String SHARD1 = "model-00001-of-00002.safetensors";
    static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    static Path models;
    static Path model;

    @TempDir
    Path tmp;
    FakeHub hub;
    Path cache;

    @BeforeAll
    static void writeModel() {
        model = models.resolve("tiny-llama");
        assertThat(Main.run("tiny", "--arch", "llama", "--hidden", "64", "--layers", "2", "--heads", "4",
                "--kv-heads", "2", "--intermediate", "128", "--vocab", "512", "--shards", "2", "-o", model.toString()))
                .isZero();
    }

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        // a tokenizer file and files a model does not need, which must not be fetched
        Files.writeString(model.resolve("tokenizer_config.json"), "{\"add_bos_token\": true}\n");
        Files.writeString(model.resolve("generation_config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": 2}\n");
        hub.add(REPO, COMMIT, model, "README.md", "pytorch_model.bin", ".gitattributes");
        cache = tmp.resolve("hub-cache");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    HubDownload download(String token, boolean offline) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_HUB_CACHE", cache.toString());
        env.put("HF_ENDPOINT", hub.endpoint() + "/");
        env.put("HF_HOME", tmp.resolve("hf-home").toString()); // no stored token file
        if (token != null) {
            env.put("HF_TOKEN", token);
        }
        if (offline) {
            env.put("HF_HUB_OFFLINE", "1");
        }
        return new HubDownload(HubEnvironment.of(env, tmp.toString()), 10);
    }

    @Test
    void fetchesOnlyTheModelFilesIntoHuggingfaceHubsLayout() throws IOException {
        HubDownload.Result r = download(null, false).run(RepoRef.parse(REPO));
        Path storage = cache.resolve("models--fornax-test--tiny-llama");
        assertThat(r.snapshot()).isEqualTo(storage.resolve("snapshots").resolve(COMMIT));
        assertThat(Files.readString(storage.resolve("refs/main"))).isEqualTo(COMMIT);
        List<String> wanted = List.of("config.json", "generation_config.json", SHARD1, SHARD2,
                "model.safetensors.index.json", "tokenizer_config.json");
        try (Stream<Path> s = Files.list(r.snapshot())) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactlyElementsOf(wanted);
        }
        for (String f : wanted) {
            Path link = r.snapshot().resolve(f);
            byte[] bytes = Files.readAllBytes(model.resolve(f));
            // git files are named by their git blob id, LFS files by their sha256; links are relative
            String etag = FakeHub.isLfs(f) ? FakeHub.sha256(bytes) : FakeHub.gitBlobId(bytes);
            assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("../../blobs/" + etag);
            assertThat(Files.mismatch(link, model.resolve(f))).as(f).isEqualTo(-1L);
        }
        assertThat(r.fetched()).isEqualTo(6);
        assertThat(hub.log).noneMatch(l -> l.contains("README") || l.contains("pytorch_model") || l.contains(".gitattributes"));
        // the signed storage URL gets no token; the hub's own URLs do only when there is one
        assertThat(hub.log).filteredOn(l -> l.startsWith("GET /cdn/")).hasSize(2).noneMatch(l -> l.endsWith("auth"));
        try (ModelWeights w = ModelLoader.loadWeights(r.snapshot()); ModelWeights src = ModelLoader.loadWeights(model)) {
            assertThat(w.spec()).isEqualTo(src.spec());
        }

        // again: every file is in the snapshot, so only the revision is asked for
        hub.log.clear();
        HubDownload.Result again = download(null, false).run(RepoRef.parse(REPO));
        assertThat(again.fetched()).isZero();
        assertThat(hub.log).containsExactly("GET /api/models/" + REPO + "/revision/main");
        // and MODEL = the repo id resolves in the cache with no request at all
        hub.log.clear();
        assertThat(HubModels.locate(Path.of(REPO), false, env(null))).isEqualTo(r.snapshot());
        assertThat(hub.log).isEmpty();
    }

    @Test
    void aPrivateRepositoryNeedsTheToken() throws IOException {
        hub.add(REPO + "-private", COMMIT, model).isPrivate = true;
        RepoRef ref = RepoRef.parse(REPO + "-private");
        assertThatThrownBy(() -> download(null, false).run(ref)).isInstanceOf(FornaxException.class)
                .hasMessage(REPO + "-private: repository not found, or private and needs a token; set HF_TOKEN (HTTP 401:"
                        + " Invalid username or password. from " + hub.endpoint() + "/api/models/" + REPO
                        + "-private/revision/main)");
        assertThatThrownBy(() -> download("hf_wrong", false).run(ref))
                .hasMessageStartingWith(REPO + "-private: repository not found, or HF_TOKEN gives no access to it (HTTP 401");
        assertThat(cache).doesNotExist();
        hub.log.clear();
        HubDownload.Result r = download(FakeHub.TOKEN, false).run(ref);
        assertThat(r.fetched()).isEqualTo(6);
        assertThat(hub.log).filteredOn(l -> l.startsWith("HEAD ") || l.startsWith("GET /api")).allMatch(l -> l.endsWith(" auth"));
    }

    @Test
    void missingRepositoryRevisionOrFileIsOneLineAndWritesNothing() {
        assertThatThrownBy(() -> download(FakeHub.TOKEN, false).run(RepoRef.parse("fornax-test/nothing-here")))
                .hasMessageStartingWith("fornax-test/nothing-here: repository not found (HTTP 404: Repository not found from ");
        assertThatThrownBy(() -> download(null, false).run(RepoRef.parse(REPO + "@v9")))
                .hasMessageStartingWith(REPO + " has no revision 'v9' (HTTP 404: Invalid rev id: v9 from ");
        hub.gone(SHARD2);
        assertThatThrownBy(() -> download(null, false).run(RepoRef.parse(REPO)))
                .hasMessageStartingWith(REPO + "@main has no file " + SHARD2 + " (HTTP 404: Entry not found from "
                        + hub.endpoint() + "/" + REPO + "/resolve/" + COMMIT + "/" + SHARD2 + ")");
        assertThat(cache).doesNotExist(); // nor the cache root and .locks this run created
    }

    @Test
    void aTransferCutMidFileIsResumedWithRange() throws IOException {
        long size = Files.size(model.resolve(SHARD1));
        long cut = size / 2;
        hub.cut(SHARD1, cut, false);
        HubDownload.Result r = download(null, false).run(RepoRef.parse(REPO));
        String sha = FakeHub.sha256(Files.readAllBytes(model.resolve(SHARD1)));
        // the second request asks for the rest from what arrived (at most the cut: the tail of the
        // cut transfer may be lost in transit)
        List<String> gets = hub.log.stream().filter(l -> l.startsWith("GET /cdn/" + sha)).toList();
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0)).isEqualTo("GET /cdn/" + sha);
        assertThat(gets.get(1)).matches("GET /cdn/" + sha + " Range:bytes=\\d+-");
        long resumedAt = Long.parseLong(gets.get(1).replaceAll(".*bytes=(\\d+)-", "$1"));
        assertThat(resumedAt).isBetween(1L, cut);
        assertThat(Files.mismatch(r.snapshot().resolve(SHARD1), model.resolve(SHARD1))).isEqualTo(-1L);
    }

    @Test
    void anInterruptedDownloadKeepsItsPartialFileAndTheNextRunResumesIt() throws IOException {
        byte[] shard = Files.readAllBytes(model.resolve(SHARD2));
        String sha = FakeHub.sha256(shard);
        long cut = shard.length / 3;
        hub.cut(SHARD2, cut, true);
        assertThatThrownBy(() -> download(null, false).run(RepoRef.parse(REPO)))
                .hasMessageStartingWith(String.format("download of %s from %s@main broke off at %,d of %,d bytes (",
                        SHARD2, REPO, cut, shard.length))
                .hasMessageEndingWith("; run the command again to resume");
        Path partial = cache.resolve("models--fornax-test--tiny-llama/blobs/" + sha + ".incomplete");
        assertThat(Files.size(partial)).isEqualTo(cut);
        assertThat(cache.resolve("models--fornax-test--tiny-llama/snapshots")).doesNotExist();

        hub.clearFaults();
        hub.log.clear();
        HubDownload.Result r = download(null, false).run(RepoRef.parse(REPO));
        assertThat(hub.log).contains("GET /cdn/" + sha + " Range:bytes=" + cut + "-")
                .filteredOn(l -> l.startsWith("GET /cdn/")).hasSize(1); // the other blobs were kept
        assertThat(partial).doesNotExist();
        assertThat(Files.mismatch(r.snapshot().resolve(SHARD2), model.resolve(SHARD2))).isEqualTo(-1L);
    }

    /** A body that stops arriving (headers sent, connection open, silent): ended after 10 s, kept to resume. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aStalledTransferEndsAfterTheTimeoutAndKeepsItsPartialFile() throws IOException {
        byte[] shard = Files.readAllBytes(model.resolve(SHARD2));
        String sha = FakeHub.sha256(shard);
        long stall = shard.length / 2;
        hub.stall(SHARD2, stall);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> download(null, false).run(RepoRef.parse(REPO)))
                .hasMessage(String.format("download of %s from %s@main stalled: no data for 10 s at %,d of %,d bytes;"
                        + " run the command again to resume", SHARD2, REPO, stall, shard.length));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).isBetween(10.0, 25.0);
        Path partial = cache.resolve("models--fornax-test--tiny-llama/blobs/" + sha + ".incomplete");
        assertThat(Files.size(partial)).isEqualTo(stall);
    }

    /** A connection that breaks before the first body byte, on every try: a broken transfer, not "cannot reach". */
    @Test
    void aTransferThatNeverDeliversABodyByteBreaksOffAtZero() throws IOException {
        long size = java.nio.file.Files.size(model.resolve(SHARD2));
        hub.cut(SHARD2, 0, true);
        assertThatThrownBy(() -> download(null, false).run(RepoRef.parse(REPO)))
                .hasMessageStartingWith(String.format("download of %s from %s@main broke off at 0 of %,d bytes (",
                        SHARD2, REPO, size))
                .hasMessageEndingWith("; run the command again to resume");
    }

    @Test
    void aCorruptBlobIsRefusedAndNothingIsLeftInTheCache() throws IOException {
        hub.corrupt(SHARD1);
        String sha = FakeHub.sha256(Files.readAllBytes(model.resolve(SHARD1)));
        assertThatThrownBy(() -> download(null, false).run(RepoRef.parse(REPO)))
                .hasMessageStartingWith(SHARD1 + " from " + REPO + "@main is corrupt: sha256 ")
                .hasMessageEndingWith(", expected " + sha + " (its etag); nothing was kept");
        // the cache did not exist before: not even its directories (.locks, the root) are left
        assertThat(cache).doesNotExist();
    }

    @Test
    void offlineUsesOnlyTheCache() {
        assertThatThrownBy(() -> download(null, true).run(RepoRef.parse(REPO)))
                .hasMessage("HF_HUB_OFFLINE is set and " + REPO + "@main is not in the Hugging Face cache " + cache);
        assertThat(hub.log).isEmpty();
        HubDownload.Result online = download(null, false).run(RepoRef.parse(REPO));
        hub.log.clear();
        HubDownload.Result offline = download(null, true).run(RepoRef.parse(REPO));
        assertThat(offline.snapshot()).isEqualTo(online.snapshot());
        assertThat(hub.log).isEmpty();
    }

    @Test
    void aRenamedRepositoryIsFollowed() {
        hub.rename("fornax-test/old-name", REPO);
        HubClient client = new HubClient(env(null), 10);
        HubClient.FileMeta m = client.head(RepoRef.parse("fornax-test/old-name"), COMMIT, "config.json");
        assertThat(m.location().toString()).isEqualTo(hub.endpoint() + "/" + REPO + "/resolve/" + COMMIT + "/config.json");
        assertThat(hub.log).containsExactly("HEAD /fornax-test/old-name/resolve/" + COMMIT + "/config.json",
                "HEAD /" + REPO + "/resolve/" + COMMIT + "/config.json");
    }

    /** The CLI in its own process (its environment is the hub's configuration): MODEL = repo id, --download, download. */
    @Test
    void theCliFetchesARepoAndEveryModelCommandTakesItsId() throws Exception {
        Map<String, String> env = Map.of("HF_HUB_CACHE", cache.toString(), "HF_ENDPOINT", hub.endpoint(),
                "HF_HOME", tmp.resolve("hf-home").toString(), "FORNAX_PROGRESS", "lines");
        String expected = inProcess("inspect", model.toString(), "--json");
        Proc i = fornax(env, "inspect", REPO, "--download", "--json");
        assertThat(i.exit).as(i.err).isZero();
        assertThat(i.out).isEqualTo(expected);
        // the progress went to stderr as plain lines (FORNAX_PROGRESS=lines): a start line, quarters, done
        assertThat(i.err.lines().toList()).first().asString().matches("download fornax-test/tiny-llama: \\d+\\.\\d kB");
        assertThat(i.err.lines().toList()).last().asString().matches("download fornax-test/tiny-llama: done, .* in .* s");
        assertThat(i.err).doesNotContain("\r");

        // download of what is already there: nothing fetched; stdout is the snapshot, a MODEL itself
        Proc d = fornax(env, "download", REPO + "@main");
        Path snapshot = cache.resolve("models--fornax-test--tiny-llama/snapshots/" + COMMIT);
        assertThat(d.exit).as(d.err).isZero();
        assertThat(d.out).isEqualTo(snapshot + "\n");
        assertThat(d.err).isEqualTo(REPO + "@main: commit " + COMMIT + ", 6 files, 0 fetched (0 B)\n");
        assertThat(inProcess("inspect", snapshot.toString(), "--json")).isEqualTo(expected);
    }

    private record Proc(int exit, String out, String err) {}

    private Proc fornax(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING") || k.equals("FORNAX_PROGRESS"));
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Proc(exit, Files.readString(out), Files.readString(err));
    }

    private static String inProcess(String... args) {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(Main.run(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private HubEnvironment env(String token) {
        Map<String, String> env = new HashMap<>(Map.of("HF_HUB_CACHE", cache.toString(), "HF_ENDPOINT", hub.endpoint(),
                "HF_HOME", tmp.resolve("hf-home").toString()));
        if (token != null) {
            env.put("HF_TOKEN", token);
        }
        return HubEnvironment.of(env, tmp.toString());
    }
}
