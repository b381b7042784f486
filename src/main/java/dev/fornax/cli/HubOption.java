package dev.fornax.cli;

import dev.fornax.hub.HubModels;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Mixed into every command that takes a MODEL: MODEL may be a Hugging Face repo id
 * ({@code org/name[@revision]}) when no such path exists, read from the HF cache; --download
 * fetches what the cache lacks first.
 */
final class HubOption {
    @Option(names = "--download",
            description = "MODEL is a Hugging Face repo id (org/name[@revision]): fetch what the HF cache lacks"
                    + " first (see fornax download)")
    boolean download;

    /** The model directory MODEL stands for (itself when it is a path). */
    Path resolve(Path model) {
        return HubModels.locate(model, download);
    }
}
