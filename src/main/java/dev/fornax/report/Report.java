package dev.fornax.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.JsonFiles;
import dev.fornax.io.OutputTargets;
import dev.fornax.io.Scratch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * DIR/report.html and the data it is drawn from. Each command keeps its own part as
 * DIR/report/PART.json (compile, verify, eval; the timing team's DIR/synth.json is read too), and
 * every update re-renders the one self-contained HTML file from all parts present, so running the
 * commands in any order gives the same page for the same parts. Parts are key-sorted JSON and
 * the page has no timestamp: same inputs, same bytes. Both are written to a temporary sibling and
 * renamed into place ({@link Scratch}); parts are read with {@link JsonFiles}' limits.
 */
public final class Report {
    public static final String HTML = "report.html";
    public static final String PARTS = "report";
    public static final String SYNTH = "synth.json";

    private Report() {}

    /** Writes (or replaces) one part and re-renders DIR/report.html. */
    public static Path update(Path dir, String part, Map<String, Object> data) {
        Path parts = dir.resolve(PARTS);
        OutputTargets.requireDirectory(dir.toAbsolutePath(), "the report directory");
        OutputTargets.requireDirectory(parts.toAbsolutePath(), "the report directory");
        try {
            Files.createDirectories(parts);
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
            atomicWrite(parts.resolve(part + ".json"), om.writeValueAsString(data) + "\n");
        } catch (IOException e) {
            throw new FornaxException("cannot write the report data " + parts.resolve(part + ".json") + ": "
                    + IoErrors.describe(e), e);
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
            throw new FornaxException("cannot write " + html + ": " + IoErrors.describe(e), e);
        }
        return html;
    }

    /** The parts present, by name ("synth" for DIR/synth.json); an unreadable one is an error naming it. */
    static Map<String, JsonNode> read(Path dir) {
        Map<String, JsonNode> parts = new TreeMap<>();
        Path partsDir = dir.resolve(PARTS);
        if (Files.isDirectory(partsDir)) {
            try (Stream<Path> s = Files.list(partsDir)) {
                for (Path p : s.filter(Report::isPart).sorted().toList()) {
                    String name = p.getFileName().toString();
                    parts.put(name.substring(0, name.length() - 5), JsonFiles.readObject(p));
                }
            } catch (IOException e) {
                throw new FornaxException("cannot list " + partsDir + ": " + IoErrors.describe(e), e);
            }
        }
        Path synth = dir.resolve(SYNTH);
        if (Files.isRegularFile(synth)) {
            parts.put("synth", JsonFiles.readObject(synth));
        }
        return parts;
    }

    /** NAME.json, not a temporary (.NAME.json.tmp-...) of a write in progress. */
    private static boolean isPart(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".json") && !name.startsWith(".") && Files.isRegularFile(p);
    }

    /** Writes through a temporary sibling renamed into place (never through a link, FIFO or device). */
    static void atomicWrite(Path target, String text) throws IOException {
        Path t = target.toAbsolutePath();
        OutputTargets.requireFile(t, "the report file");
        Scratch.reclaim(t, true);
        try (Scratch tmp = Scratch.file(t, true)) {
            Files.writeString(tmp.path(), text, StandardCharsets.UTF_8);
            tmp.commit();
        }
    }
}
