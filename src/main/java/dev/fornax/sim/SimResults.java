package dev.fornax.sim;

import java.util.List;

/**
 * What a simulation produced, read from the harness's result file.
 *
 * @param positions   every position simulated, in order (sequence, then position)
 * @param status      the harness's end status ({@link Status#OK} when it finished normally)
 * @param totalCycles clock cycles simulated, reset included
 * @param message     the harness's error line, or null
 * @param output      lines the simulation printed that are not harness progress (e.g. RTL trace lines)
 * @param simSeconds  wall time of the simulation run (build excluded)
 * @param buildSeconds wall time spent building the simulator (0 when cached)
 */
public record SimResults(
        List<Position> positions,
        Status status,
        long totalCycles,
        String message,
        List<String> output,
        double simSeconds,
        double buildSeconds) {

    public SimResults {
        positions = List.copyOf(positions);
        output = List.copyOf(output);
    }

    /**
     * One position: the token fed, the logits the hardware streamed (Q16 int32), its prediction, the
     * cycles from the token's acceptance to the prediction being valid, and in dram mode the AXI data
     * beats delivered in that time, the cycles of it that were matrix phases (the design's
     * {@code perf_matrix} output high) and the beats delivered in those cycles. The matrix figures
     * are 0 in rom mode and in result files of the first format, which did not record them.
     */
    public record Position(int sequence, int position, int token, int prediction, long cycles, long axiBeats,
            long matrixCycles, long matrixBeats, int[] logits) {

        /**
         * The AXI read port's utilisation during matrix phases: beats delivered ÷ beats it could have
         * delivered (one per cycle); NaN when no matrix-phase cycle was counted.
         */
        public double matrixUtilisation() {
            return matrixCycles == 0 ? Double.NaN : matrixBeats / (double) matrixCycles;
        }
    }

    /** The harness's end status codes (fornax_harness.cpp, fornax_tb.v). */
    public enum Status {
        OK("finished"),
        TIMEOUT("timed out: no handshake for the timeout"),
        PROTOCOL("violated the port protocol"),
        OVERFLOW("raised overflow"),
        AXI("issued an invalid AXI read"),
        USAGE("was called wrongly"),
        AXI_ERROR("stopped on an AXI error it reported (axi_error)");

        private final String meaning;

        Status(String meaning) {
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }
    }
}
