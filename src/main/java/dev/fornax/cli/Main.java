package dev.fornax.cli;

import dev.fornax.FornaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code ./fornax <command> ...}. User errors print one line and exit non-zero. */
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
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable root = ex;
            while (!(root instanceof FornaxException) && root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof FornaxException) {
                System.err.println("fornax: " + root.getMessage());
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
            System.err.println("fornax: " + ex.getMessage() + " (see: ./fornax "
                    + ("fornax".equals(command) ? "" : command + " ") + "--help)");
            return 2;
        });
        return cli.execute(args);
    }
}
