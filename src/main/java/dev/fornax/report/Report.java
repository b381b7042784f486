package dev.fornax.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * DIR/report.html and the data it is drawn from. Each command keeps its own part as
 * DIR/report/PART.json (compile, verify, eval; the timing team's DIR/synth.json is read too), and
 * every update re-renders the one self-contained HTML file from all parts present, so running the
 * commands in any order gives the same page for the same parts. Parts are key-sorted JSON and
 * the page has no timestamp: same inputs, same bytes. Both are written to a temporary sibling and
 * renamed into place.
 */
public final class Report {
    public static final String HTML = "report.html";
    public static final String PARTS = "report";
    public static final String SYNTH = "synth.json";

    private Report() {}

    /** Writes (or replaces) one part and re-renders DIR/report.html. */
    public static Path update(Path dir, String part, Map<String, Object> data) {
        Path parts = dir.resolve(PARTS);
        try {
            Files.createDirectories(parts);
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
            atomicWrite(parts.resolve(part + ".json"), om.writeValueAsString(data) + "\n");
        } catch (IOException e) {
            throw new FornaxException("cannot write the report data " + parts.resolve(part + ".json") + ": "
                    + e.getMessage(), e);
        }
        return render(dir);
    }

    /** Re-renders DIR/report.html from the parts in DIR/report/ and DIR/synth.json. */
    public static Path render(Path dir) {
        Map<String, JsonNode> parts = read(dir);
        Path html = dir.resolve(HTML);
        try {
            atomicWrite(html, ReportHtml.render(parts));
        } catch (IOException e) {
            throw new FornaxException("cannot write " + html + ": " + e.getMessage(), e);
        }
        return html;
    }

    /** The parts present, by name ("synth" for DIR/synth.json); an unreadable one is an error naming it. */
    static Map<String, JsonNode> read(Path dir) {
        Map<String, JsonNode> parts = new TreeMap<>();
        ObjectMapper om = new ObjectMapper();
        Path partsDir = dir.resolve(PARTS);
        if (Files.isDirectory(partsDir)) {
            try (Stream<Path> s = Files.list(partsDir)) {
                for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    String name = p.getFileName().toString();
                    parts.put(name.substring(0, name.length() - 5), readJson(om, p));
                }
            } catch (IOException e) {
                throw new FornaxException("cannot list " + partsDir + ": " + e.getMessage(), e);
            }
        }
        Path synth = dir.resolve(SYNTH);
        if (Files.isRegularFile(synth)) {
            parts.put("synth", readJson(om, synth));
        }
        return parts;
    }

    private static JsonNode readJson(ObjectMapper om, Path p) {
        try {
            JsonNode n = om.readTree(p.toFile());
            if (n == null || !n.isObject()) {
                throw new FornaxException(p + ": not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new FornaxException(p + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    static void atomicWrite(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
