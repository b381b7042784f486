package dev.fornax.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.cli.Main;
import dev.fornax.ir.ModelWeights;
import dev.fornax.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache tree laid out by hand the way huggingface_hub's file_download.py documents and writes
 * it (refs/REV holding the commit, snapshots/COMMIT/FILE relative symlinks into blobs/), as Python
 * tools leave it: MODEL = the repo id reads it in place.
 */
class HfCacheTest {
    static final String MAIN = "1111111111111111111111111111111111111111";
    static final String OLD = "2222222222222222222222222222222222222222";

    @TempDir
    static Path tmp;
    static Path model;
    static Path cache;

    @BeforeAll
    static void layOut() throws IOException {
        model = tmp.resolve("src");
        assertThat(Main.run("tiny", "--arch", "qwen2", "--hidden", "32", "--layers", "1", "--heads", "2", "--kv-heads",
                "1", "--intermediate", "64", "--vocab", "128", "-o", model.toString())).isZero();
        cache = tmp.resolve("cache");
        Path repo = cache.resolve("models--Qwen--Qwen2-0.5B");
        Files.createDirectories(repo.resolve("blobs"));
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            byte[] b = Files.readAllBytes(model.resolve(f));
            String etag = f.endsWith(".safetensors") ? FakeHub.sha256(b) : FakeHub.gitBlobId(b);
            Files.write(repo.resolve("blobs").resolve(etag), b);
            for (String commit : new String[] {MAIN, OLD}) {
                if (commit.equals(OLD) && f.endsWith(".safetensors")) {
                    continue; // the old snapshot holds only its config (someone fetched just that)
                }
                Path snap = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
                Files.createSymbolicLink(snap.resolve(f), Path.of("../../blobs").resolve(etag));
            }
        }
        Files.createDirectories(repo.resolve("refs/refs/pr"));
        Files.writeString(repo.resolve("refs/main"), MAIN);
        Files.writeString(repo.resolve("refs/v0.1"), OLD);
        Files.writeString(repo.resolve("refs/refs/pr/1"), MAIN);
    }

    static HubEnvironment env() {
        return HubEnvironment.of(Map.of("HF_HUB_CACHE", cache.toString(), "HF_ENDPOINT", "http://127.0.0.1:9"),
                tmp.toString());
    }

    @Test
    void aRepoIdIsItsSnapshotInTheCache() {
        Path snap = cache.resolve("models--Qwen--Qwen2-0.5B/snapshots/" + MAIN);
        assertThat(HubModels.locate(Path.of("Qwen/Qwen2-0.5B"), false, env())).isEqualTo(snap);
        assertThat(HubModels.locate(Path.of("Qwen/Qwen2-0.5B@main"), false, env())).isEqualTo(snap);
        assertThat(HubModels.locate(Path.of("Qwen/Qwen2-0.5B@" + MAIN), false, env())).isEqualTo(snap);
        assertThat(HubModels.locate(Path.of("Qwen/Qwen2-0.5B@refs/pr/1"), false, env())).isEqualTo(snap);
        try (ModelWeights cached = ModelLoader.loadWeights(snap); ModelWeights src = ModelLoader.loadWeights(model)) {
            assertThat(cached.spec()).isEqualTo(src.spec());
        }
    }

    @Test
    void whatIsNotInTheCacheSaysHowToFetchIt() {
        assertThatThrownBy(() -> HubModels.locate(Path.of("Qwen/Qwen2-0.5B@v0.1"), false, env()))
                .hasMessage("Qwen/Qwen2-0.5B@v0.1: no such file or directory, and Qwen/Qwen2-0.5B@v0.1 is incomplete in the"
                        + " Hugging Face cache (" + cache.resolve("models--Qwen--Qwen2-0.5B/snapshots/" + OLD)
                        + " has no model.safetensors); fetch it with: fornax download Qwen/Qwen2-0.5B@v0.1 (or add --download)");
        assertThatThrownBy(() -> HubModels.locate(Path.of("meta-llama/Llama-3.2-1B"), false, env()))
                .hasMessage("meta-llama/Llama-3.2-1B: no such file or directory, and meta-llama/Llama-3.2-1B@main is not in"
                        + " the Hugging Face cache " + cache + "; fetch it with: fornax download meta-llama/Llama-3.2-1B"
                        + " (or add --download)");
        // not shaped like a repo id (or an existing path): left to the model reader's own error
        assertThat(HubModels.locate(Path.of("no/such/dir"), false, env())).isEqualTo(Path.of("no/such/dir"));
        assertThat(HubModels.locate(model, false, env())).isEqualTo(model);
    }

    @Test
    void repoIdsFollowHuggingfaceHubsRules() {
        assertThat(RepoRef.parse("gpt2")).isEqualTo(new RepoRef("gpt2", "main"));
        assertThat(RepoRef.parse("Qwen/Qwen2-0.5B@v1.0")).isEqualTo(new RepoRef("Qwen/Qwen2-0.5B", "v1.0"));
        assertThat(RepoRef.parse("Qwen/Qwen2-0.5B").folderName()).isEqualTo("models--Qwen--Qwen2-0.5B");
        for (String bad : new String[] {"a/b/c", "foo--bar", "a..b", ".repo", "repo.git", "x@", "x@../y", "a b"}) {
            assertThat(RepoRef.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void theEnvironmentIsReadAsHuggingfaceHubReadsIt() throws IOException {
        String home = "/home/u";
        assertThat(HubEnvironment.of(Map.of(), home).cache()).isEqualTo(Path.of("/home/u/.cache/huggingface/hub"));
        assertThat(HubEnvironment.of(Map.of("XDG_CACHE_HOME", "/x"), home).cache()).isEqualTo(Path.of("/x/huggingface/hub"));
        assertThat(HubEnvironment.of(Map.of("HF_HOME", "~/hf"), home).cache()).isEqualTo(Path.of("/home/u/hf/hub"));
        assertThat(HubEnvironment.of(Map.of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/legacy"), home).cache())
                .isEqualTo(Path.of("/legacy"));
        assertThat(HubEnvironment.of(Map.of("HF_HUB_CACHE", "$D/c", "D", "/data", "HUGGINGFACE_HUB_CACHE", "/legacy"), home)
                .cache()).isEqualTo(Path.of("/data/c"));
        HubEnvironment d = HubEnvironment.of(Map.of("HF_HOME", tmp.resolve("nohome").toString()), home);
        assertThat(d.endpoint()).isEqualTo("https://huggingface.co");
        assertThat(d.token()).isNull();
        assertThat(d.offline()).isFalse();
        assertThat(HubEnvironment.of(Map.of("HF_ENDPOINT", "http://127.0.0.1:8080//"), home).endpoint())
                .isEqualTo("http://127.0.0.1:8080");
        // the token: HF_TOKEN, else the legacy variable, else the file `hf auth login` writes
        Path hfHome = Files.createDirectories(tmp.resolve("hf-home"));
        Files.writeString(hfHome.resolve("token"), "hf_fromFile\n");
        assertThat(HubEnvironment.of(Map.of("HF_HOME", hfHome.toString()), home).token()).isEqualTo("hf_fromFile");
        assertThat(HubEnvironment.of(Map.of("HF_HOME", hfHome.toString(), "HUGGING_FACE_HUB_TOKEN", "hf_legacy"), home)
                .token()).isEqualTo("hf_legacy");
        assertThat(HubEnvironment.of(Map.of("HF_HOME", hfHome.toString(), "HF_TOKEN", "hf_env"), home).token())
                .isEqualTo("hf_env");
        for (String on : new String[] {"1", "ON", "yes", "True"}) {
            assertThat(HubEnvironment.of(Map.of("HF_HUB_OFFLINE", on), home).offline()).as(on).isTrue();
        }
        assertThat(HubEnvironment.of(Map.of("TRANSFORMERS_OFFLINE", "1"), home).offline()).isTrue();
        assertThat(HubEnvironment.of(Map.of("HF_HUB_OFFLINE", "0", "TRANSFORMERS_OFFLINE", "1"), home).offline()).isFalse();
    }
}
