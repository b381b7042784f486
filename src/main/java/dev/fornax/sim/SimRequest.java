package dev.fornax.sim;

import dev.fornax.FornaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulation run: the harness feeds each sequence's prompt, then the hardware's own
 * predictions, until {@code maxNew} tokens were generated or an EOS id was predicted (unless
 * {@code ignoreEos}). Several sequences run back to back without reset, each starting with
 * {@code s_tok_tuser} = first.
 *
 * @param sequences     prompts (token ids), at least one, none empty
 * @param maxNew        tokens to generate per sequence (0: only the prompt positions)
 * @param eos           ids that end a sequence
 * @param stall         probability in [0, 1) that the harness drops a valid/ready it drives, each cycle
 * @param seed          seed of the stall generator (splitmix64)
 * @param wave          VCD file to write, or null
 * @param timeoutCycles cycles without any handshake after which the harness gives up
 * @param axiLatency    cycles from an accepted AXI read burst to its first data beat (dram mode)
 * @param trace         build with the Verilog define FORNAX_TRACE, so the RTL prints its per-op vectors
 */
public record SimRequest(
        List<List<Integer>> sequences,
        int maxNew,
        List<Integer> eos,
        boolean ignoreEos,
        double stall,
        long seed,
        Path wave,
        long timeoutCycles,
        int axiLatency,
        boolean trace) {

    public static final long DEFAULT_TIMEOUT_CYCLES = 100_000_000L;
    public static final int DEFAULT_AXI_LATENCY = 8;

    public SimRequest {
        sequences = sequences.stream().map(List::copyOf).toList();
        eos = List.copyOf(eos);
        if (sequences.isEmpty() || sequences.stream().anyMatch(List::isEmpty)) {
            throw new FornaxException("a simulation needs at least one non-empty prompt");
        }
        if (maxNew < 0) {
            throw new FornaxException("-n must not be negative, got " + maxNew);
        }
        if (!(stall >= 0 && stall < 1)) {
            throw new FornaxException("--stall must be in [0, 1), got " + stall);
        }
        if (seed < 0 || timeoutCycles < 1 || axiLatency < 0) {
            throw new FornaxException("seed, timeout and AXI latency must be non-negative");
        }
    }

    /** One prompt, default timing, no stalls. */
    public static SimRequest of(List<Integer> prompt, int maxNew, List<Integer> eos, boolean ignoreEos) {
        return new SimRequest(List.of(prompt), maxNew, eos, ignoreEos, 0, 1, null,
                DEFAULT_TIMEOUT_CYCLES, DEFAULT_AXI_LATENCY, false);
    }

    public SimRequest withStall(double p, long s) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, p, s, wave, timeoutCycles, axiLatency, trace);
    }

    public SimRequest withWave(Path w) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, stall, seed, w, timeoutCycles, axiLatency, trace);
    }

    public SimRequest withTimeout(long cycles) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, stall, seed, wave, cycles, axiLatency, trace);
    }

    public SimRequest withTrace(boolean on) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, stall, seed, wave, timeoutCycles, axiLatency, on);
    }

    public SimRequest withAxiLatency(int cycles) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, stall, seed, wave, timeoutCycles, cycles, trace);
    }

    /** Arguments of the Verilator harness binary. */
    List<String> harnessArgs(Path out, Path dram) {
        List<String> a = new ArrayList<>(List.of("--tokens", tokensArg(), "-n", Integer.toString(maxNew),
                "--eos", join(eos), "--stall", Double.toString(stall), "--seed", Long.toString(seed),
                "--out", out.toString(), "--timeout", Long.toString(timeoutCycles),
                "--axi-latency", Integer.toString(axiLatency)));
        if (ignoreEos) {
            a.add("--ignore-eos");
        }
        if (wave != null) {
            a.addAll(List.of("--wave", wave.toString()));
        }
        if (dram != null) {
            a.addAll(List.of("--dram", dram.toString()));
        }
        return a;
    }

    /** The same, as plusargs of the Icarus testbench. */
    List<String> plusargs(Path out, Path dram) {
        List<String> a = new ArrayList<>(List.of("+tokens=" + tokensArg(), "+n=" + maxNew, "+eos=" + join(eos),
                "+stall=" + stall, "+seed=" + seed, "+out=" + out, "+timeout=" + timeoutCycles,
                "+axi_latency=" + axiLatency));
        if (ignoreEos) {
            a.add("+ignore_eos");
        }
        if (wave != null) {
            a.add("+wave=" + wave);
        }
        if (dram != null) {
            a.add("+dram=" + dram);
        }
        return a;
    }

    private String tokensArg() {
        List<String> seqs = new ArrayList<>();
        for (List<Integer> s : sequences) {
            seqs.add(join(s));
        }
        return String.join("/", seqs);
    }

    private static String join(List<Integer> ids) {
        StringBuilder s = new StringBuilder();
        for (int id : ids) {
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(id);
        }
        return s.toString();
    }
}
