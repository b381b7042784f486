package dev.fornax.synth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flattened Yosys netlist (the {@code write_json} format): the top module's ports, its cells with
 * their pins, parameters and RTL source, and a readable name for each net bit. Net bits are the
 * non-negative integers Yosys assigns; constants are negative ({@link #CONST0} and so on).
 */
public record Netlist(String top, List<Port> ports, List<Cell> cells, Map<Integer, String> netNames,
        Map<Integer, String> netSources) {
    public static final int CONST0 = -1;
    public static final int CONST1 = -2;
    public static final int CONST_X = -3;
    public static final int CONST_Z = -4;

    /** A top-level port: name, true for an input, its bits (LSB first). */
    public record Port(String name, boolean input, int[] bits) {}

    /** One pin bus of a cell: name, direction, bits (LSB first). */
    public record Pin(String name, boolean output, int[] bits) {}

    /**
     * A cell: instance name, type (e.g. LUT6, FDRE, RAMB36E1), parameters as Yosys wrote them
     * (binary strings for integers, text for strings), the RTL source ({@code src} attribute: the
     * first file:line range) and pins.
     */
    public record Cell(String name, String type, Map<String, String> params, String src, List<Pin> pins) {
        /** An integer parameter (binary string or decimal), or {@code otherwise} when absent or not a number. */
        public long param(String key, long otherwise) {
            String v = params.get(key);
            if (v == null || v.isEmpty()) {
                return otherwise;
            }
            if (v.chars().allMatch(ch -> ch == '0' || ch == '1')) {
                return v.length() <= 63 ? Long.parseLong(v, 2) : (v.indexOf('1') >= 0 ? 1 : 0);
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }

        /** A string parameter (e.g. USE_MULT), or {@code otherwise}. */
        public String text(String key, String otherwise) {
            return params.getOrDefault(key, otherwise);
        }

        public Pin pin(String pinName) {
            for (Pin p : pins) {
                if (p.name().equals(pinName)) {
                    return p;
                }
            }
            return null;
        }
    }

    /** Reads the module {@code top} (or the only module marked top) from a Yosys JSON file. */
    public static Netlist read(Path json) {
        JsonNode root;
        try {
            JsonFactory f = JsonFactory.builder().build();
            ObjectMapper om = new ObjectMapper(f);
            try (JsonParser p = f.createParser(json.toFile())) {
                root = om.readTree(p);
            }
        } catch (IOException e) {
            throw new FornaxException("cannot read the Yosys netlist " + json + ": " + e.getMessage(), e);
        }
        JsonNode modules = root == null ? null : root.get("modules");
        if (modules == null || !modules.isObject() || modules.isEmpty()) {
            throw new FornaxException(json + " is not a Yosys JSON netlist (no modules)");
        }
        String top = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = modules.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("attributes").has("top")) {
                top = e.getKey();
            }
        }
        if (top == null) {
            if (modules.size() != 1) {
                throw new FornaxException(json + " has " + modules.size() + " modules and none marked top: synthesise with -flatten");
            }
            top = modules.fieldNames().next();
        }
        return parse(top, modules.get(top));
    }

    static Netlist parse(String top, JsonNode m) {
        List<Port> ports = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("ports").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String dir = e.getValue().path("direction").asText();
            ports.add(new Port(e.getKey(), !"output".equals(dir), bits(e.getValue().get("bits"))));
        }
        List<Cell> cells = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("cells").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> pi = c.path("parameters").fields(); pi.hasNext();) {
                Map.Entry<String, JsonNode> p = pi.next();
                params.put(p.getKey(), p.getValue().asText());
            }
            String src = rtlSource(c.path("attributes").path("src").asText(""));
            List<Pin> pins = new ArrayList<>();
            JsonNode dirs = c.path("port_directions");
            for (Iterator<Map.Entry<String, JsonNode>> ci = c.path("connections").fields(); ci.hasNext();) {
                Map.Entry<String, JsonNode> p = ci.next();
                String d = dirs.path(p.getKey()).asText("input");
                pins.add(new Pin(p.getKey(), "output".equals(d), bits(p.getValue())));
            }
            cells.add(new Cell(e.getKey(), c.path("type").asText(), params, src, List.copyOf(pins)));
        }
        Map<Integer, String> names = new LinkedHashMap<>();
        Map<Integer, String> sources = new LinkedHashMap<>();
        Map<Integer, Integer> rank = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("netnames").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            boolean hidden = e.getValue().path("hide_name").asInt(0) != 0;
            int[] b = bits(e.getValue().get("bits"));
            String src = hidden ? "" : rtlSource(e.getValue().path("attributes").path("src").asText(""));
            // prefer user names, then the shortest (a register's own name over a wire that copies it)
            int r = (hidden ? 1_000_000 : 0) + name.length();
            for (int i = 0; i < b.length; i++) {
                if (b[i] < 0) {
                    continue;
                }
                Integer old = rank.get(b[i]);
                if (old == null || r < old) {
                    rank.put(b[i], r);
                    names.put(b[i], b.length == 1 ? name : name + "[" + i + "]");
                    if (!src.isEmpty()) {
                        sources.put(b[i], src);
                    }
                }
            }
        }
        return new Netlist(top, List.copyOf(ports), List.copyOf(cells), names, sources);
    }

    /**
     * The RTL line of a {@code src} attribute. Flattening joins the statement's location with those of
     * the instances around it ({@code top.v:61.7-73.43|unit.v:260.39-260.61|core.v:407.49-412.88});
     * an instantiation spans several lines, a statement usually one, so the first single-line entry
     * is taken, else the first entry that is RTL rather than a Yosys techmap file.
     */
    static String rtlSource(String src) {
        String first = "";
        for (String part : src.split("\\|")) {
            if (part.isEmpty() || part.contains("/share/yosys/") || part.startsWith("<")) {
                continue;
            }
            if (first.isEmpty()) {
                first = part;
            }
            java.util.regex.Matcher m = LINES.matcher(part);
            if (m.find() && m.group(1).equals(m.group(2))) {
                return part;
            }
        }
        return first;
    }

    private static final java.util.regex.Pattern LINES = java.util.regex.Pattern.compile(":(\\d+)\\.\\d+-(\\d+)\\.\\d+$");

    /** RTL source of a named net bit, or "". */
    public String netSource(int bit) {
        return netSources.getOrDefault(bit, "");
    }

    /** Name of a net bit for reports: its netname, else {@code $n<bit>}. */
    public String netName(int bit) {
        String n = netNames.get(bit);
        return n != null ? n : "$n" + bit;
    }

    private static int[] bits(JsonNode arr) {
        if (arr == null || !arr.isArray()) {
            return new int[0];
        }
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode b = arr.get(i);
            if (b.isInt()) {
                out[i] = b.asInt();
            } else {
                switch (b.asText()) {
                    case "0" -> out[i] = CONST0;
                    case "1" -> out[i] = CONST1;
                    case "z" -> out[i] = CONST_Z;
                    default -> out[i] = CONST_X;
                }
            }
        }
        return out;
    }
}
