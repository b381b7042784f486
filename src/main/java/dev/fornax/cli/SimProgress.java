package dev.fornax.cli;

import dev.fornax.progress.Progress;

/**
 * The simulation's progress lines ("fornax-sim: ...") drawn as a bar on a terminal: the
 * simulator build's elapsed time, then the positions simulated. In lines mode (a log) it takes
 * nothing: the harness's own lines are the plain progress. Any other line first wipes the bar, so
 * it prints on a clean line.
 */
final class SimProgress implements AutoCloseable {
    private static final String PREFIX = "fornax-sim: ";
    private final boolean active;
    private final long positions;
    private Progress build;
    private Progress sim;
    private long seen;

    /** @param allowed false when stdout streams text to the same terminal (generate --engine rtl, demo) */
    SimProgress(long positions, boolean allowed) {
        this.positions = positions;
        this.active = allowed && Progress.mode() == Progress.Mode.BAR;
    }

    /** @return true when the line was shown as progress and must not be printed */
    boolean accept(String line) {
        if (!active) {
            return false;
        }
        if (line.startsWith(PREFIX + "building the Verilator model") || line.startsWith(PREFIX + "compiling with Icarus")) {
            close();
            build = Progress.ticking(line.contains("Icarus") ? "Icarus compile" : "Verilator build");
            return true;
        }
        if (build != null) {
            build.close();
            build = null;
        }
        if (line.startsWith(PREFIX + "seq ")) {
            if (sim == null) {
                sim = Progress.start("simulation", positions, Progress.Unit.of("positions"));
                sim.set(seen);
            }
            seen++;
            sim.advance(1);
            return true;
        }
        close();
        return false;
    }

    @Override
    public void close() {
        if (build != null) {
            build.close();
            build = null;
        }
        if (sim != null) {
            sim.close();
            sim = null;
        }
    }
}
