package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.io.Interrupts;
import dev.fornax.io.JsonFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code ./fornax <command> ...}. User errors print one line and exit non-zero.
 *
 * <p>What every command gets from here, without doing anything itself: a standard output whose
 * write errors end the command with exit 1 ({@link StdoutGuard}; stderr is checked at the end);
 * SIGINT/SIGTERM handling ({@link Interrupts}: external tools killed with their process group,
 * registered temporaries removed, one line on stderr); and one-line messages for user errors.
 */
@Command(
        name = "fornax",
        mixinStandardHelpOptions = true,
        version = "fornax 0.1.0",
        description = "Compiles small open LLMs into verified, synthesizable Verilog.",
        subcommands = {
            // One command per line, alphabetical.
            BoardsCommand.class,
            CompileCommand.class,
            DemoCommand.class,
            DownloadCommand.class,
            EvalCommand.class,
            GenerateCommand.class,
            InspectCommand.class,
            LogitsCommand.class,
            SynthCommand.class,
            TinyCommand.class,
            TokenizeCommand.class,
            VerifyCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        Interrupts.announceOnInterrupt();
        StdoutGuard.install();
        int code = run(args);
        Interrupts.finished();
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // a path picocli cannot even build (a NUL byte) is a usage mistake in words, not an exception's name
        cli.registerConverter(Path.class, text -> {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new CommandLine.TypeConversionException("'" + printable(text) + "' is not a path: "
                        + e.getReason().toLowerCase(java.util.Locale.ROOT));
            }
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (Interrupts.interrupted()) {
                return 130; // the signal's own status wins; the shutdown hook says what happened
            }
            Throwable root = ex;
            while (!(root instanceof FornaxException) && root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof FornaxException) {
                System.err.println("fornax: " + boundedLines(root.getMessage()));
                return 1;
            }
            if (root instanceof OutOfMemoryError) {
                System.err.println("fornax: out of memory; raise the heap with FORNAX_JAVA_OPTS=-Xmx...");
                return 3;
            }
            System.err.println("fornax: internal error: " + ex);
            if (System.getenv("FORNAX_DEBUG") != null) {
                ex.printStackTrace();
            }
            return 70;
        });
        // A usage mistake is bad input too: one line naming the problem, not the whole usage text.
        cli.setParameterExceptionHandler((ex, parsed) -> {
            String command = ex.getCommandLine().getCommandName();
            String message = JsonFiles.shorten(printable(String.valueOf(ex.getMessage())
                    .replaceAll("\\s*\\R\\s*", " ")), 400);
            System.err.println("fornax: " + message + " (see: ./fornax "
                    + ("fornax".equals(command) ? "" : command + " ") + "--help)");
            return 2;
        });
        // --help and --version go through picocli's writer: a failed write sets its error flag
        PrintWriter helpOut = new PrintWriter(new Writer() {
            @Override
            public void write(char[] c, int off, int len) throws IOException {
                try {
                    System.out.print(new String(c, off, len));
                } catch (FornaxException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    System.out.flush();
                } catch (FornaxException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {}
        }, true);
        cli.setOut(helpOut);
        int code = cli.execute(args);
        if (helpOut.checkError() && code == 0) {
            System.err.println("fornax: cannot write to standard output");
            code = 1;
        }
        return checkOutputs(code);
    }

    /**
     * Control characters (tab included: a file name "x\tat y" must not pass for a stack-trace line)
     * shown as \\uXXXX: a value echoed in a message cannot break the line or the terminal.
     */
    public static String printable(String s) {
        return dev.fornax.io.Printable.of(s);
    }

    /** No line of a message longer than a screenful, whatever value a hostile file made it quote. */
    static String boundedLines(String message) {
        StringBuilder b = new StringBuilder();
        for (String line : String.valueOf(message).split("\n", -1)) {
            b.append(b.length() == 0 ? "" : "\n").append(JsonFiles.shorten(printable(line), 1000));
        }
        return b.toString();
    }

    /** A lost standard output (or error) is a failure even if the command itself succeeded. */
    private static int checkOutputs(int code) {
        try {
            System.out.flush();
            if (System.out.checkError() && code == 0) {
                System.err.println("fornax: cannot write to standard output");
                code = 1;
            }
        } catch (FornaxException e) {
            if (code == 0) {
                System.err.println("fornax: " + e.getMessage());
                code = 1;
            }
        }
        System.err.flush();
        return System.err.checkError() && code == 0 ? 1 : code;
    }
}
