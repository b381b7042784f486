package dev.fornax.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden-vector text format (src/test/resources/golden-vectors/README.md): '#' comment lines,
 * then cases. A case starts with {@code case <name>}; each following line is one vector,
 * {@code <field> <int> <int> ...} (decimal, single spaces; a scalar is a vector of one).
 */
final class GoldenVectorFile {
    /** One case: its name and its fields in file order. */
    record Case(String name, Map<String, long[]> fields) {
        long[] get(String field) {
            long[] v = fields.get(field);
            if (v == null) {
                throw new IllegalArgumentException("case " + name + " has no field '" + field + "'");
            }
            return v;
        }

        int[] ints(String field) {
            return Arrays.stream(get(field)).mapToInt(Math::toIntExact).toArray();
        }

        int scalar(String field) {
            long[] v = get(field);
            if (v.length != 1) {
                throw new IllegalArgumentException("case " + name + " field " + field + " is not a scalar");
            }
            return Math.toIntExact(v[0]);
        }
    }

    private GoldenVectorFile() {}

    static List<Case> read(Path file) throws IOException {
        List<Case> cases = new ArrayList<>();
        Case current = null;
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            if (parts[0].equals("case")) {
                current = new Case(parts.length > 1 ? parts[1] : String.valueOf(cases.size()), new LinkedHashMap<>());
                cases.add(current);
                continue;
            }
            if (current == null) {
                throw new IOException(file + ":" + lineNo + ": vector before the first 'case' line");
            }
            long[] v = new long[parts.length - 1];
            for (int i = 1; i < parts.length; i++) {
                v[i - 1] = Long.parseLong(parts[i]);
            }
            current.fields().put(parts[0], v);
        }
        return cases;
    }

    /** Builds a file's text. */
    static final class Writer {
        private final StringBuilder sb = new StringBuilder();

        Writer comment(String text) {
            for (String l : text.split("\n")) {
                sb.append("# ").append(l).append('\n');
            }
            return this;
        }

        Writer begin(String name) {
            sb.append("case ").append(name).append('\n');
            return this;
        }

        Writer field(String name, int... v) {
            sb.append(name);
            for (int x : v) {
                sb.append(' ').append(x);
            }
            sb.append('\n');
            return this;
        }

        Writer field(String name, long... v) {
            sb.append(name);
            for (long x : v) {
                sb.append(' ').append(x);
            }
            sb.append('\n');
            return this;
        }

        Writer field(String name, short[] v) {
            int[] x = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                x[i] = v[i];
            }
            return field(name, x);
        }

        Writer field(String name, byte[] v) {
            int[] x = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                x[i] = v[i];
            }
            return field(name, x);
        }

        String text() {
            return sb.toString();
        }
    }
}
