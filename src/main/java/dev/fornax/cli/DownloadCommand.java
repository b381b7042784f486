package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.hub.HubDownload;
import dev.fornax.hub.HubEnvironment;
import dev.fornax.hub.RepoRef;
import dev.fornax.progress.Progress;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fornax download REPO[@REV]}: a model's files from the Hugging Face hub into the HF cache. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Fetches the files a model needs (config.json, generation_config.json, the safetensors weights"
                + " or index and shards, tokenizer.json, tokenizer_config.json) from HF_ENDPOINT (default"
                + " https://huggingface.co; HF_TOKEN as bearer token) into the Hugging Face cache (HF_HUB_CACHE, else"
                + " HF_HOME/hub, else ~/.cache/huggingface/hub) in huggingface_hub's layout, resuming interrupted"
                + " transfers and checking each file against its etag. HF_HUB_OFFLINE=1: the cache only. Prints the"
                + " snapshot directory; it, or REPO itself, is a MODEL for every other command.")
public final class DownloadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPO[@REV]",
            description = "a model repository, e.g. Qwen/Qwen2-0.5B or Qwen/Qwen2-0.5B@main (branch, tag or commit)")
    String repo;

    @Override
    public Integer call() {
        RepoRef ref = RepoRef.parse(repo);
        if (ref == null) {
            throw new FornaxException("'" + repo + "' is not a Hugging Face repo id (org/name[@revision])");
        }
        HubEnvironment env = HubEnvironment.fromSystem();
        HubDownload.Result r = new HubDownload(env).run(ref);
        System.err.printf(Locale.ROOT, "%s: commit %s, %d files, %d fetched (%s)%s%n", ref, r.commit(), r.files(),
                r.fetched(), Progress.bytes(r.bytesFetched()), env.offline() ? " (HF_HUB_OFFLINE: from the cache)" : "");
        System.out.println(r.snapshot());
        return 0;
    }
}
