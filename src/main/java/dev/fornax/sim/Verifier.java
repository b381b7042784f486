package dev.fornax.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Compares a simulation with a golden reference: every logit at every position (prompt positions
 * included), the prediction port against the argmax (ties to the lowest index), and that the
 * harness stopped exactly where greedy generation stops (EOS included in the tokens, as
 * dev.fornax.engine.Generator does). The hardware fed itself its own predictions; the golden model
 * is stepped with the same tokens, so the first mismatch is where the two diverge.
 */
public final class Verifier {
    private Verifier() {}

    /** The first difference between hardware and golden model. */
    public record Mismatch(int sequence, int position, int index, long rtl, long golden, String what) {
        public String describe() {
            return what + " differs at sequence " + sequence + " position " + position
                    + (index >= 0 ? " vocab index " + index : "") + ": rtl " + rtl + ", golden " + golden;
        }
    }

    /**
     * One sequence's outcome; the per-token figures are means over the positions that produced a
     * generated token (NaN when none did). {@code axiBeatsPerToken}: AXI data beats delivered
     * between a token's acceptance and its prediction (dram designs; 0 otherwise);
     * {@code matrixCyclesPerToken}: the cycles of that span in matrix phases (the design's
     * {@code perf_matrix} high), {@code matrixBeatsPerToken}: the AXI beats delivered in them.
     */
    public record SequenceResult(List<Integer> prompt, List<Integer> tokens, String stopReason, List<Long> generatedCycles,
            double cyclesPerToken, double idealCyclesPerToken, double axiBeatsPerToken, double matrixCyclesPerToken,
            double matrixBeatsPerToken) {

        /** AXI beats ÷ cycles over the generated tokens' whole positions, vector phases included. */
        public double axiUtilisation() {
            return axiBeatsPerToken / cyclesPerToken;
        }

        /**
         * The read port's utilisation during matrix phases: beats delivered ÷ beats it could deliver
         * (one per cycle). NaN when no matrix phase was counted (rom designs, old harnesses).
         */
        public double axiMatrixUtilisation() {
            return matrixCyclesPerToken > 0 ? matrixBeatsPerToken / matrixCyclesPerToken : Double.NaN;
        }
    }

    /**
     * @param match     every logit and prediction equal, and the run ended normally where it should
     * @param mismatch  the first differing value, or null
     * @param error     a harness error or a wrong stopping point, or null
     */
    public record Result(boolean match, Mismatch mismatch, String error, List<SequenceResult> sequences, SimResults sim,
            int positionsCompared) {}

    /**
     * @param ideal ideal cycles (MACs / LANES) of the position given as argument (0-based)
     */
    public static Result compare(SimRequest request, SimResults sim, GoldenReference golden, IntToDoubleFunction ideal) {
        List<SequenceResult> seqs = new ArrayList<>();
        int compared = 0;
        Mismatch mismatch = null;
        int idx = 0;
        List<SimResults.Position> ps = sim.positions();
        String error = null;
        for (int s = 0; s < request.sequences().size() && mismatch == null; s++) {
            List<Integer> prompt = request.sequences().get(s);
            golden.reset();
            List<Integer> tokens = new ArrayList<>();
            List<Long> cycles = new ArrayList<>();
            double idealSum = 0;
            long beats = 0;
            long matrixCycles = 0;
            long matrixBeats = 0;
            String stop = null;
            int pos = 0;
            while (stop == null) {
                if (idx >= ps.size() || ps.get(idx).sequence() != s) {
                    stop = "incomplete";
                    break;
                }
                SimResults.Position p = ps.get(idx++);
                int expectedToken = pos < prompt.size() ? prompt.get(pos) : tokens.get(tokens.size() - 1);
                if (p.position() != pos || p.token() != expectedToken) {
                    error = "the harness fed token " + p.token() + " at sequence " + s + " position " + p.position()
                            + ", expected token " + expectedToken + " at position " + pos;
                    break;
                }
                int[] g = golden.stepRaw(p.token());
                compared++;
                int diff = firstDifference(p.logits(), g);
                if (diff >= 0) {
                    mismatch = new Mismatch(s, pos, diff, p.logits()[diff], g[diff], "logit");
                    break;
                }
                int argmax = argmax(g);
                if (p.prediction() != argmax) {
                    mismatch = new Mismatch(s, pos, -1, p.prediction(), argmax, "prediction (m_pred_tdata)");
                    break;
                }
                if (pos >= prompt.size() - 1) {
                    if (tokens.size() == request.maxNew()) {
                        stop = "length";
                    } else {
                        tokens.add(argmax);
                        cycles.add(p.cycles());
                        beats += p.axiBeats();
                        matrixCycles += p.matrixCycles();
                        matrixBeats += p.matrixBeats();
                        idealSum += ideal.applyAsDouble(pos);
                        if (!request.ignoreEos() && request.eos().contains(argmax)) {
                            stop = "eos";
                        } else if (tokens.size() == request.maxNew()) {
                            stop = "length";
                        }
                    }
                }
                pos++;
            }
            double cpt = cycles.isEmpty() ? Double.NaN : cycles.stream().mapToLong(Long::longValue).average().orElse(0);
            double ipt = cycles.isEmpty() ? Double.NaN : idealSum / cycles.size();
            double n = cycles.size();
            double bpt = cycles.isEmpty() ? Double.NaN : beats / n;
            double mcpt = cycles.isEmpty() ? Double.NaN : matrixCycles / n;
            double mbpt = cycles.isEmpty() ? Double.NaN : matrixBeats / n;
            seqs.add(new SequenceResult(prompt, tokens, stop, cycles, cpt, ipt, bpt, mcpt, mbpt));
            if ("incomplete".equals(stop) && mismatch == null && error == null) {
                error = "the simulation ended after " + pos + " positions of sequence " + s
                        + (sim.status() == SimResults.Status.OK ? "" : " (the design " + sim.status().meaning() + ")");
            }
            if (error != null) {
                break;
            }
        }
        if (mismatch == null && error == null && idx != ps.size()) {
            error = "the harness ran " + (ps.size() - idx) + " positions past the stopping point";
        }
        if (sim.status() != SimResults.Status.OK && mismatch == null) {
            String msg = "the design " + sim.status().meaning() + (sim.message() == null ? "" : ": " + sim.message());
            error = error == null ? msg : error + "; " + msg;
        }
        boolean match = mismatch == null && error == null;
        return new Result(match, mismatch, error, seqs, sim, compared);
    }

    static int firstDifference(int[] rtl, int[] golden) {
        if (rtl.length != golden.length) {
            return Math.min(rtl.length, golden.length);
        }
        return Arrays.mismatch(rtl, golden);
    }

    static int argmax(int[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
