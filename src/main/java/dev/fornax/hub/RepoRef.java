package dev.fornax.hub;

import java.util.regex.Pattern;

/**
 * A Hugging Face model repository and revision, written {@code org/name[@revision]} (revision:
 * a branch, tag or commit; default {@code main}). The id follows huggingface_hub's
 * validate_repo_id: an optional namespace, 1-96 characters of letters, digits, '-', '_', '.',
 * no "--" or "..", not ending in ".git".
 */
public record RepoRef(String repoId, String revision) {
    public static final String DEFAULT_REVISION = "main";
    private static final Pattern ID = Pattern.compile("^(\\b[\\w\\-.]+\\b/)?\\b[\\w\\-.]{1,96}\\b$");
    private static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{40}$");

    /** The reference written in {@code text}, or null when it is not shaped like one. */
    public static RepoRef parse(String text) {
        int at = text.indexOf('@');
        String id = at < 0 ? text : text.substring(0, at);
        String rev = at < 0 ? DEFAULT_REVISION : text.substring(at + 1);
        if (!validId(id) || !validRevision(rev)) {
            return null;
        }
        return new RepoRef(id, rev);
    }

    static boolean validId(String id) {
        return ID.matcher(id).matches() && !id.contains("--") && !id.contains("..") && !id.endsWith(".git");
    }

    static boolean validRevision(String rev) {
        return !rev.isEmpty() && !rev.contains("..") && !rev.startsWith("/") && !rev.endsWith("/")
                && rev.chars().noneMatch(c -> c < 0x20 || c == '\\');
    }

    /** The revision is a full commit hash (then the cache needs no refs/ file). */
    public boolean isCommit() {
        return isCommit(revision);
    }

    static boolean isCommit(String s) {
        return COMMIT.matcher(s).matches();
    }

    /** huggingface_hub's repo_folder_name: {@code models--org--name}. */
    public String folderName() {
        return "models--" + repoId.replace("/", "--");
    }

    @Override
    public String toString() {
        return repoId + "@" + revision;
    }
}
