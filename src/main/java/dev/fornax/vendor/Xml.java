package dev.fornax.vendor;

/** A minimal, deterministic XML writer: elements, attributes, escaped text, two-space indent. */
final class Xml {
    private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();

    /** Opens an element; attributes as name, value pairs. */
    Xml open(String name, String... attrs) {
        indent().append('<').append(name);
        attributes(attrs);
        out.append(">\n");
        open.push(name);
        return this;
    }

    Xml close() {
        String name = open.pop();
        indent().append("</").append(name).append(">\n");
        return this;
    }

    /** An element with text content (and attributes). */
    Xml leaf(String name, Object text, String... attrs) {
        indent().append('<').append(name);
        attributes(attrs);
        out.append('>').append(escape(String.valueOf(text))).append("</").append(name).append(">\n");
        return this;
    }

    /** An empty element. */
    Xml empty(String name, String... attrs) {
        indent().append('<').append(name);
        attributes(attrs);
        out.append("/>\n");
        return this;
    }

    Xml comment(String text) {
        indent().append("<!-- ").append(text.replace("--", "- -")).append(" -->\n");
        return this;
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed element " + open.peek());
        }
        return out.toString();
    }

    private void attributes(String... attrs) {
        for (int i = 0; i + 1 < attrs.length; i += 2) {
            out.append(' ').append(attrs[i]).append("=\"").append(escape(attrs[i + 1])).append('"');
        }
    }

    private StringBuilder indent() {
        return out.append("  ".repeat(open.size()));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
