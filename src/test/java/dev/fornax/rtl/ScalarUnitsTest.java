package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.golden.IntOps;
import dev.fornax.golden.Tables;
import dev.fornax.ir.Activation;
import dev.fornax.testing.Shared;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fornax_requant and fornax_activate in Verilator against IntOps.requant / IntOps.activate on
 * random and edge-case inputs: every accumulator length, multipliers 0..2^16, right and left
 * shifts around the saturation boundary, gate values around ±16 and across the whole int32 range.
 */
class ScalarUnitsTest {
    @TempDir
    Path tmp;

    @Test
    void requantAndActivateMatchIntOps() throws Exception {
        Shared.requireTool("verilator");
        DesignGenerator.writeIncludes(tmp);
        for (String f : List.of("fornax_rom.v", "fornax_requant.v", "fornax_activate.v")) {
            DesignGenerator.copyLibraryFile(f, tmp);
        }
        copy("/rtl/unit_top.v", tmp.resolve("unit_top.v"));
        copy("/rtl/unit_tb.cpp", tmp.resolve("unit_tb.cpp"));
        int[] gate = Tables.gate(Activation.SILU);
        StringBuilder gm = new StringBuilder();
        for (int v : gate) {
            gm.append(String.format("%04x%n", v));
        }
        Files.writeString(tmp.resolve("gate.mem"), gm);

        Random r = new Random(11);
        List<long[]> vec = new ArrayList<>();
        long[] edgesAcc = {0, 1, -1, 2, -2, (1L << 23) - 1, 1L << 23, -(1L << 23), (1L << 47) - 1, -(1L << 47), 12345678901L};
        int[] edgesM = {0, 1, 32768, 65535, 65536};
        for (long a : edgesAcc) {
            for (int m : edgesM) {
                for (int sh = -40; sh <= 70; sh += 3) {
                    vec.add(new long[] {a, m, sh, r.nextInt()});
                }
            }
        }
        for (int i = 0; i < 20000; i++) {
            int bits = r.nextInt(48);
            long a = bits == 0 ? 0 : (r.nextLong() >> (64 - bits));
            int m = r.nextInt(4) == 0 ? edgesM[r.nextInt(edgesM.length)] : 32768 + r.nextInt(32768);
            int sh = -45 + r.nextInt(120);
            long g = switch (r.nextInt(4)) {
                case 0 -> r.nextInt();
                case 1 -> (16L << 16) + r.nextInt(64) - 32;
                case 2 -> (-16L << 16) + r.nextInt(64) - 32;
                default -> r.nextInt(40 << 16) - (20 << 16);
            };
            vec.add(new long[] {a, m, sh, g});
        }
        StringBuilder in = new StringBuilder();
        for (long[] v : vec) {
            in.append(v[0]).append(' ').append(v[1]).append(' ').append(v[2]).append(' ').append(v[3]).append('\n');
        }
        Files.writeString(tmp.resolve("in.txt"), in);
        run(List.of("verilator", "--cc", "--exe", "--build", "-O2", "-Wall", "--top-module", "unit_top", "-Mdir",
                "obj", "-o", "Vunit", "unit_top.v", "fornax_rom.v", "fornax_requant.v", "fornax_activate.v",
                "unit_tb.cpp"));
        run(List.of("obj/Vunit", "in.txt", "out.txt"));
        int checked = 0;
        for (String line : Files.readAllLines(tmp.resolve("out.txt"))) {
            String[] f = line.split(" ");
            long[] v = vec.get(Integer.parseInt(f[1]));
            int got = Integer.parseInt(f[2]);
            if (f[0].equals("R")) {
                assertThat(got).as("requant(%d, %d, %d)", v[0], v[1], v[2])
                        .isEqualTo(IntOps.requant(v[0], (int) v[1], (int) v[2]));
            } else {
                assertThat(got).as("activate(%d)", v[3]).isEqualTo(IntOps.activate((int) v[3], gate));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(2 * vec.size());
    }

    private void copy(String resource, Path to) throws Exception {
        try (InputStream s = getClass().getResourceAsStream(resource)) {
            Files.copy(s, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + log).isZero();
    }
}
