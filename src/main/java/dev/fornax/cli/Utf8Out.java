package dev.fornax.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Standard output as UTF-8 whatever the locale (the JVM's default under LANG=C is ASCII). */
final class Utf8Out {
    private Utf8Out() {}

    /** Wraps the current System.out (so tests that redirect it still capture the bytes). */
    static PrintStream stdout() {
        return new PrintStream(System.out, false, StandardCharsets.UTF_8);
    }
}
