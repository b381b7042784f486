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
 * @param memory        the AXI memory model's settings (dram mode)
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
        Memory memory,
        boolean trace) {

    public static final long DEFAULT_TIMEOUT_CYCLES = 100_000_000L;
    /** Read latency of the memory model: DDR4/HBM at 250-300 MHz take 60-200 cycles (FIELD-NOTES §7). */
    public static final int DEFAULT_AXI_LATENCY = 150;

    /**
     * The harness's AXI memory model (docs/SIMULATION.md).
     *
     * @param latency        cycles from an accepted read burst to its first data beat: one value for
     *                       every port, or one per port
     * @param blackoutEvery  refresh-like gaps: every this many cycles (0: none) ...
     * @param blackoutCycles ... this many cycles without read data or address acceptance
     * @param rateNum        each port's bandwidth: at most rateNum beats ...
     * @param rateDen        ... every rateDen cycles (1/1: one beat per cycle)
     * @param injectRresp    the Nth read burst (1-based, over all ports) answers SLVERR (0: none)
     * @param resetAt        assert rst for 4 cycles from this cycle, with bursts in flight (0: never)
     */
    public record Memory(List<Integer> latency, long blackoutEvery, int blackoutCycles, int rateNum, int rateDen,
            long injectRresp, long resetAt) {
        public Memory {
            latency = List.copyOf(latency);
            if (latency.isEmpty() || latency.stream().anyMatch(l -> l < 0)) {
                throw new FornaxException("--axi-latency needs non-negative cycle counts, got " + latency);
            }
            if (blackoutEvery < 0 || blackoutCycles < 0 || (blackoutEvery > 0 && blackoutCycles >= blackoutEvery)
                    || (blackoutEvery == 0 && blackoutCycles != 0)) {
                throw new FornaxException("--axi-blackout EVERY,CYCLES needs 0 <= CYCLES < EVERY, got " + blackoutEvery
                        + "," + blackoutCycles);
            }
            if (rateNum < 1 || rateDen < 1 || rateNum > rateDen || rateDen > 1_000_000) {
                throw new FornaxException("--axi-rate NUM/DEN needs 0 < NUM <= DEN <= 1000000, got " + rateNum + "/" + rateDen);
            }
            if (injectRresp < 0) {
                throw new FornaxException("--inject-rresp must be a burst number >= 1, got " + injectRresp);
            }
            if (resetAt != 0 && resetAt < 4) {
                throw new FornaxException("--reset-at must be at least 4 (the cycles of the initial reset), got " + resetAt);
            }
        }

        /** Full bandwidth (one beat per cycle per port). */
        public Memory(List<Integer> latency, long blackoutEvery, int blackoutCycles, long injectRresp, long resetAt) {
            this(latency, blackoutEvery, blackoutCycles, 1, 1, injectRresp, resetAt);
        }

        public static Memory latency(int cycles) {
            return new Memory(List.of(cycles), 0, 0, 0, 0);
        }

        public Memory withBlackout(long every, int cycles) {
            return new Memory(latency, every, cycles, rateNum, rateDen, injectRresp, resetAt);
        }

        public Memory withRate(int num, int den) {
            return new Memory(latency, blackoutEvery, blackoutCycles, num, den, injectRresp, resetAt);
        }

        public Memory withInjectRresp(long burst) {
            return new Memory(latency, blackoutEvery, blackoutCycles, rateNum, rateDen, burst, resetAt);
        }

        public Memory withResetAt(long cycle) {
            return new Memory(latency, blackoutEvery, blackoutCycles, rateNum, rateDen, injectRresp, cycle);
        }

        String latencyArg() {
            return join(latency);
        }
    }

    /** The old form: one read latency for every port, no gaps, no injected errors. */
    public SimRequest(List<List<Integer>> sequences, int maxNew, List<Integer> eos, boolean ignoreEos, double stall,
            long seed, Path wave, long timeoutCycles, int axiLatency, boolean trace) {
        this(sequences, maxNew, eos, ignoreEos, stall, seed, wave, timeoutCycles, Memory.latency(axiLatency), trace);
    }

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
        if (seed < 0 || timeoutCycles < 1) {
            throw new FornaxException("seed and timeout must be non-negative");
        }
        if (memory == null) {
            memory = Memory.latency(DEFAULT_AXI_LATENCY);
        }
    }

    /** One prompt, default timing, no stalls. */
    public static SimRequest of(List<Integer> prompt, int maxNew, List<Integer> eos, boolean ignoreEos) {
        return new SimRequest(List.of(prompt), maxNew, eos, ignoreEos, 0, 1, null,
                DEFAULT_TIMEOUT_CYCLES, Memory.latency(DEFAULT_AXI_LATENCY), false);
    }

    public SimRequest withStall(double p, long s) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, p, s, wave, timeoutCycles, memory, trace);
    }

    public SimRequest withWave(Path w) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, stall, seed, w, timeoutCycles, memory, trace);
    }

    public SimRequest withTimeout(long cycles) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, stall, seed, wave, cycles, memory, trace);
    }

    public SimRequest withTrace(boolean on) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, stall, seed, wave, timeoutCycles, memory, on);
    }

    public SimRequest withAxiLatency(int cycles) {
        return withMemory(new Memory(List.of(cycles), memory.blackoutEvery(), memory.blackoutCycles(),
                memory.rateNum(), memory.rateDen(), memory.injectRresp(), memory.resetAt()));
    }

    public SimRequest withMemory(Memory m) {
        return new SimRequest(sequences, maxNew, eos, ignoreEos, stall, seed, wave, timeoutCycles, m, trace);
    }

    /** Arguments of the Verilator harness binary. */
    List<String> harnessArgs(Path out, Path dram) {
        List<String> a = new ArrayList<>(List.of("--tokens", tokensArg(), "-n", Integer.toString(maxNew),
                "--eos", join(eos), "--stall", Double.toString(stall), "--seed", Long.toString(seed),
                "--out", out.toString(), "--timeout", Long.toString(timeoutCycles),
                "--axi-latency", memory.latencyArg()));
        if (memory.blackoutEvery() > 0) {
            a.addAll(List.of("--axi-blackout", memory.blackoutEvery() + "," + memory.blackoutCycles()));
        }
        if (memory.rateNum() != memory.rateDen()) {
            a.addAll(List.of("--axi-rate", memory.rateNum() + "/" + memory.rateDen()));
        }
        if (memory.injectRresp() > 0) {
            a.addAll(List.of("--inject-rresp", Long.toString(memory.injectRresp())));
        }
        if (memory.resetAt() > 0) {
            a.addAll(List.of("--reset-at", Long.toString(memory.resetAt())));
        }
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
                "+axi_latency=" + memory.latencyArg()));
        if (memory.blackoutEvery() > 0) {
            a.add("+axi_blackout=" + memory.blackoutEvery() + "," + memory.blackoutCycles());
        }
        if (memory.rateNum() != memory.rateDen()) {
            a.add("+axi_rate=" + memory.rateNum() + "/" + memory.rateDen());
        }
        if (memory.injectRresp() > 0) {
            a.add("+inject_rresp=" + memory.injectRresp());
        }
        if (memory.resetAt() > 0) {
            a.add("+reset_at=" + memory.resetAt());
        }
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
