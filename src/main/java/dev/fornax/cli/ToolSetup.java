package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.sim.Simulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure a simulator's toolchain is on PATH before a command prints anything, so a missing
 * tool never cuts a story in half. The repository's {@code scripts/install-tools} (the installer
 * ./test uses too, holding the one tool-to-package list) installs what is missing, or says in one
 * line what to install; the command then fails with that line.
 */
final class ToolSetup {
    static final String INSTALLER = "scripts/install-tools";

    private ToolSetup() {}

    /**
     * @param install true: install missing tools with apt-get (notice and progress on stderr);
     *                false: only check, and name what to install
     */
    static void ensure(Simulator simulator, boolean install) {
        List<String> missing = simulator.missingTools();
        if (missing.isEmpty()) {
            return;
        }
        Path script = RepoFile.find(INSTALLER);
        if (script == null) {
            throw new FornaxException(String.join(", ", missing) + " not found on PATH (needed to simulate with "
                    + simulator.cliName() + "); install the Debian packages of those names with apt-get");
        }
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "--as", "fornax"));
        if (!install) {
            cmd.add("--check");
        }
        cmd.addAll(missing);
        String problem = run(cmd);
        if (problem != null) {
            throw new FornaxException(problem);
        }
        List<String> still = simulator.missingTools();
        if (!still.isEmpty()) {
            throw new FornaxException(INSTALLER + " finished but " + String.join(", ", still) + " is still not on PATH");
        }
    }

    /** Runs the installer with the terminal (sudo may ask, progress is drawn); its one-line verdict, or null. */
    private static String run(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = p.waitFor();
            if (exit == 0) {
                return null;
            }
            return out.isEmpty() ? INSTALLER + " failed (exit " + exit + ")" : out.lines().findFirst().orElse(out);
        } catch (IOException e) {
            throw new FornaxException("cannot run " + cmd.get(1) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FornaxException("interrupted while installing tools with " + cmd.get(1), e);
        }
    }
}
