package dev.fornax.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fornax.FornaxException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The estimator on hand-built netlists whose delays follow from the figures by arithmetic: every
 * expected value below is the sum of the {@link Delays} terms along the one path that exists.
 */
class TimingAnalysisTest {
    private static final Delays D = Delays.XC7;

    /** A tiny Yosys JSON module builder. */
    private static final class Module {
        final ObjectMapper om = new ObjectMapper();
        final ObjectNode m = om.createObjectNode();
        int cells;

        Module() {
            m.putObject("ports");
            m.putObject("cells");
            m.putObject("netnames");
        }

        Module port(String name, String dir, int... bits) {
            ObjectNode p = ((ObjectNode) m.get("ports")).putObject(name);
            p.put("direction", dir);
            ArrayNode a = p.putArray("bits");
            for (int b : bits) {
                a.add(b);
            }
            return this;
        }

        Module net(String name, int... bits) {
            ObjectNode n = ((ObjectNode) m.get("netnames")).putObject(name);
            n.put("hide_name", 0);
            ArrayNode a = n.putArray("bits");
            for (int b : bits) {
                a.add(b);
            }
            return this;
        }

        /** pins: name -> bits; names in {@code outs} are outputs. */
        Module cell(String type, Map<String, String> params, Map<String, int[]> pins, String... outs) {
            ObjectNode c = ((ObjectNode) m.get("cells")).putObject("c" + (cells++));
            c.put("type", type);
            ObjectNode ps = c.putObject("parameters");
            params.forEach(ps::put);
            c.putObject("attributes").put("src", "t.v:" + cells);
            ObjectNode dirs = c.putObject("port_directions");
            ObjectNode conn = c.putObject("connections");
            pins.forEach((k, v) -> {
                boolean out = java.util.Arrays.asList(outs).contains(k);
                dirs.put(k, out ? "output" : "input");
                ArrayNode a = conn.putArray(k);
                for (int b : v) {
                    a.add(b);
                }
            });
            return this;
        }

        Module ff(int d, int q) {
            return cell("FDRE", Map.of(), Map.of("C", new int[] {2}, "CE", new int[] {3}, "R", new int[] {4}, "D", new int[] {d},
                    "Q", new int[] {q}), "Q");
        }

        Module lut(int out, int... in) {
            Map<String, int[]> pins = new java.util.TreeMap<>();
            for (int i = 0; i < in.length; i++) {
                pins.put("I" + i, new int[] {in[i]});
            }
            pins.put("O", new int[] {out});
            return cell("LUT" + in.length, Map.of(), pins, "O");
        }

        TimingAnalysis.Report analyse() {
            return TimingAnalysis.analyse(Netlist.parse("t", m), D);
        }
    }

    private static Module base() {
        // clk 2, ce 3 and r 4 come from FFs outside the timed logic: drive them from input ports
        return new Module().port("clk", "input", 2).port("ce", "input", 3).port("r", "input", 4);
    }

    @Test
    void twoLutsBetweenRegisters() {
        Module m = base().ff(10, 11).lut(12, 11).lut(13, 12).ff(13, 14).net("a", 11).net("b", 14);
        TimingAnalysis.Report r = m.analyse();
        double expected = D.ffClockToQ() + D.net(1) + D.lut() + D.net(1) + D.lut() + D.net(1) + D.ffSetupD();
        assertThat(r.periodNs()).isCloseTo(expected, within(1e-6));
        assertThat(r.levelsMax()).isEqualTo(2);
        TimingAnalysis.Path p = r.worstPaths().get(0);
        assertThat(p.start()).isEqualTo("a");
        assertThat(p.end()).isEqualTo("b");
        assertThat(p.levels()).isEqualTo(2);
        assertThat(p.steps()).hasSize(4);
        assertThat(r.inputToOutput()).isEmpty();
    }

    @Test
    void fanoutSlowsANet() {
        Module m = base().ff(10, 11);
        for (int i = 0; i < 8; i++) {
            m.lut(20 + i, 11).ff(20 + i, 40 + i);
        }
        double expected = D.ffClockToQ() + D.net(8) + D.lut() + D.net(1) + D.ffSetupD();
        assertThat(m.analyse().periodNs()).isCloseTo(expected, within(1e-6));
        assertThat(D.net(8)).isGreaterThan(D.net(1));
    }

    @Test
    void carryChainUsesTheDedicatedRoute() {
        // LUT -> CARRY4 S[0] -> CO[3] -> CARRY4 CI -> O[1] -> FF
        Module m = base().ff(10, 11).lut(12, 11)
                .cell("CARRY4", Map.of(), Map.of("CI", new int[] {-1}, "CYINIT", new int[] {-1},
                        "DI", new int[] {-1, -1, -1, -1}, "S", new int[] {12, -1, -1, -1}, "CO", new int[] {20, 21, 22, 23},
                        "O", new int[] {24, 25, 26, 27}), "CO", "O")
                .cell("CARRY4", Map.of(), Map.of("CI", new int[] {23}, "CYINIT", new int[] {-1}, "DI", new int[] {-1, -1, -1, -1},
                        "S", new int[] {-1, -1, -1, -1}, "CO", new int[] {30, 31, 32, 33}, "O", new int[] {34, 35, 36, 37}), "CO", "O")
                .ff(35, 40);
        TimingAnalysis.Report r = m.analyse();
        double expected = D.ffClockToQ() + D.net(1) + D.lut() + 0 + D.carryFromS() + 0 + D.carryCiToO() + D.net(1)
                + D.ffSetupD();
        assertThat(r.periodNs()).isCloseTo(expected, within(1e-6));
        assertThat(r.levelsMax()).isEqualTo(3); // LUT + two carry cells, as Vivado counts them
    }

    @Test
    void inputToOutputPathIsListed() {
        Module m = base().port("i", "input", 5).port("o", "output", 6).lut(6, 5);
        TimingAnalysis.Report r = m.analyse();
        assertThat(r.inputToOutput()).hasSize(1);
        assertThat(r.inputToOutput().get(0).start()).isEqualTo("i");
        assertThat(r.inputToOutput().get(0).end()).isEqualTo("o");
    }

    @Test
    void everyInputBehindAnOutputIsListed() {
        Module m = base().port("a", "input", 5).port("b", "input", 7).port("o", "output", 6).lut(8, 7).lut(6, 5, 8);
        TimingAnalysis.Report r = m.analyse();
        assertThat(r.inputToOutput()).extracting(TimingAnalysis.Path::start).containsExactlyInAnyOrder("a", "b");
        assertThat(r.inputToOutput()).allMatch(p -> p.end().equals("o"));
    }

    @Test
    void registeredOutputHasNoInputToOutputPath() {
        Module m = base().port("i", "input", 5).port("o", "output", 7).lut(6, 5).ff(6, 7);
        assertThat(m.analyse().inputToOutput()).isEmpty();
    }

    @Test
    void dspRegistersSplitTheMultiplyPath() {
        Map<String, int[]> pins = Map.of("CLK", new int[] {2}, "A", new int[] {11}, "B", new int[] {12}, "P", new int[] {20});
        // MREG and PREG: A pin to MREG, MREG to PREG inside, P clock-to-out to the next register
        Module piped = base().ff(10, 11).ff(10, 12)
                .cell("DSP48E1", Map.of("AREG", "0", "BREG", "0", "MREG", "1", "PREG", "1"), pins, "P").lut(21, 20).ff(21, 30);
        double aToM = D.ffClockToQ() + D.net(1) + D.dspInToM();
        double pOut = D.dspPClockToOut() + D.net(1) + D.lut() + D.net(1) + D.ffSetupD();
        assertThat(piped.analyse().periodNs()).isCloseTo(Math.max(aToM, Math.max(pOut, D.dspMToP())), within(1e-6));
        // no internal registers: one combinational path through the multiplier
        Module comb = base().ff(10, 11).ff(10, 12)
                .cell("DSP48E1", Map.of("AREG", "0", "BREG", "0", "MREG", "0", "PREG", "0"), pins, "P").lut(21, 20).ff(21, 30);
        double through = D.ffClockToQ() + D.net(1) + D.dspInToOut() + D.net(1) + D.lut() + D.net(1) + D.ffSetupD();
        assertThat(comb.analyse().periodNs()).isCloseTo(through, within(1e-6));
    }

    @Test
    void preAdderRegisterSplitsTheMultiplyPath() {
        Map<String, int[]> pins = Map.of("CLK", new int[] {2}, "A", new int[] {11}, "D", new int[] {12}, "B", new int[] {13},
                "P", new int[] {20});
        Module m = base().ff(10, 11).ff(10, 12).ff(10, 13)
                .cell("DSP48E1", Map.of("USE_DPORT", "TRUE", "AREG", "0", "DREG", "0", "ADREG", "1", "BREG", "1", "MREG", "1",
                        "PREG", "1"), pins, "P");
        double toAd = D.ffClockToQ() + D.net(1) + D.dspInToAd();
        assertThat(m.analyse().periodNs()).isCloseTo(Math.max(toAd, D.dspInRegToM()), within(1e-6));
    }

    @Test
    void blockRamOutputRegisterIsAbsorbed() {
        Map<String, int[]> pins = Map.of("CLKARDCLK", new int[] {2}, "ADDRARDADDR", new int[] {11}, "DOADO", new int[] {20});
        // every used output bit feeds one flip-flop: the RAM's own register (DOA_REG) in Vivado
        Module m = base().ff(10, 11).cell("RAMB18E1", Map.of("DOA_REG", "0"), pins, "DOADO").ff(20, 21).lut(22, 21).ff(22, 23);
        TimingAnalysis.Report r = m.analyse();
        assertThat(r.bramOutputRegisters()).isEqualTo(1);
        double after = D.bramClockToOutReg() + D.net(1) + D.lut() + D.net(1) + D.ffSetupD();
        double addr = D.ffClockToQ() + D.net(1) + D.bramSetupAddr();
        assertThat(r.periodNs()).isCloseTo(Math.max(after, addr), within(1e-6));
        // a RAM output feeding logic directly pays the unregistered clock-to-out
        Module raw = base().ff(10, 11).cell("RAMB18E1", Map.of("DOA_REG", "0"), pins, "DOADO").lut(22, 20).ff(22, 23);
        double direct = D.bramClockToOut() + D.net(1) + D.lut() + D.net(1) + D.ffSetupD();
        assertThat(raw.analyse().periodNs()).isCloseTo(direct, within(1e-6));
    }

    @Test
    void combinationalLoopIsAnError() {
        Module m = base().lut(11, 12).lut(12, 11);
        assertThatThrownBy(m::analyse).isInstanceOf(FornaxException.class).hasMessageContaining("combinational loop");
    }

    @Test
    void levelHistogramCountsPathEnds() {
        Module m = base().ff(10, 11).lut(12, 11).lut(13, 12).ff(13, 14).ff(11, 15);
        TimingAnalysis.Report r = m.analyse();
        // ends: FF D at 2 levels, FF D at 0 levels, and the 3 FFs' CE and R pins (input ports: 0 levels)
        assertThat(r.histogram().get(2)).isEqualTo(1);
        assertThat(r.histogram().get(0)).isEqualTo(r.endpoints() - 1);
    }
}
