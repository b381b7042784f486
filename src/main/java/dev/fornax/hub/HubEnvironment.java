package dev.fornax.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings huggingface_hub reads from the environment (constants.py), read the same way:
 * cache HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else HF_HOME/hub, else
 * $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub ("~" and $VARS expanded);
 * endpoint HF_ENDPOINT (default https://huggingface.co, trailing "/" dropped); token HF_TOKEN,
 * else HUGGING_FACE_HUB_TOKEN, else the file HF_TOKEN_PATH (default HF_HOME/token); offline when
 * HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) is 1/ON/YES/TRUE.
 */
public record HubEnvironment(Path cache, String endpoint, String token, boolean offline) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");
    private static final Pattern VAR = Pattern.compile("\\$(\\w+|\\{\\w+\\})");

    public static HubEnvironment fromSystem() {
        return of(System.getenv(), System.getProperty("user.home"));
    }

    public static HubEnvironment of(Map<String, String> env, String home) {
        String hfHome = env.get("HF_HOME");
        if (hfHome == null) {
            String xdg = env.getOrDefault("XDG_CACHE_HOME", Path.of(home, ".cache").toString());
            hfHome = Path.of(xdg, "huggingface").toString();
        }
        hfHome = expand(hfHome, env, home);
        String cache = env.get("HF_HUB_CACHE");
        if (cache == null) {
            cache = env.getOrDefault("HUGGINGFACE_HUB_CACHE", Path.of(hfHome, "hub").toString());
        }
        String endpoint = env.getOrDefault("HF_ENDPOINT", DEFAULT_ENDPOINT).replaceAll("/+$", "");
        String token = clean(env.get("HF_TOKEN"));
        if (token == null) {
            token = clean(env.get("HUGGING_FACE_HUB_TOKEN"));
        }
        if (token == null) {
            Path file = Path.of(expand(env.getOrDefault("HF_TOKEN_PATH", Path.of(hfHome, "token").toString()), env, home));
            try {
                token = clean(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | SecurityException e) {
                token = null; // no stored token: anonymous, as huggingface_hub
            }
        }
        // Python's `HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE`: the first one set to a non-empty value decides
        String off = env.get("HF_HUB_OFFLINE");
        boolean offline = isTrue(off == null || off.isEmpty() ? env.get("TRANSFORMERS_OFFLINE") : off);
        return new HubEnvironment(Path.of(expand(cache, env, home)), endpoint, token, offline);
    }

    /** os.path.expandvars(os.path.expanduser(p)): unknown variables stay as written. */
    static String expand(String p, Map<String, String> env, String home) {
        String s = p.equals("~") || p.startsWith("~/") ? home + p.substring(1) : p;
        Matcher m = VAR.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).replace("{", "").replace("}", "");
            String value = env.get(name);
            m.appendReplacement(b, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String clean(String token) {
        if (token == null) {
            return null;
        }
        String t = token.replace("\r", "").replace("\n", "").strip();
        return t.isEmpty() ? null : t;
    }

    private static boolean isTrue(String v) {
        return v != null && TRUE.contains(v.toUpperCase(Locale.ROOT));
    }
}
