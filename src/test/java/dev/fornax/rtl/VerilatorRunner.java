package dev.fornax.rtl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a compiled design with the test harness fornax_tb.cpp in Verilator and runs tokens through it. */
final class VerilatorRunner {
    /** One token's result: prediction, cycles from acceptance to prediction, all logits. */
    record Step(int pred, long cycles, int[] logits) {}

    private VerilatorRunner() {}

    static Path build(Path design, DesignInfo info, String... extra) throws IOException, InterruptedException {
        Path tb = design.resolve("test_tb.cpp");
        try (var in = VerilatorRunner.class.getResourceAsStream("/rtl/fornax_tb.cpp")) {
            Files.copy(in, tb, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of("verilator", "--cc", "--exe", "--build", "-O3", "-Wno-fatal",
                "--x-assign", "fast", "--x-initial", "fast", "-Irtl", "--top-module", info.top(), "-Mdir", "obj_test",
                "-o", "Vtest", "-CFLAGS", "-O2", "-MAKEFLAGS", "-j2"));
        cmd.addAll(List.of(extra));
        if (info.weights().equals("dram")) {
            cmd.addAll(List.of("-CFLAGS", "-DFORNAX_DRAM -DFORNAX_AXI_DW=" + info.axiDataWidth()
                    + " -DFORNAX_DRAM_IMAGE=\\\"" + info.dramImage() + "\\\""));
        }
        cmd.addAll(info.rtlFiles());
        cmd.add("test_tb.cpp");
        run(design, cmd, design.resolve("obj_test.log"));
        return design.resolve("obj_test/Vtest");
    }

    static List<Step> run(Path design, Path exe, int[] tokens, boolean[] first, int stallPercent)
            throws IOException, InterruptedException {
        Path tf = design.resolve("test_tokens.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            sb.append(tokens[i]).append(' ').append(first[i] ? 1 : 0).append('\n');
        }
        Files.writeString(tf, sb);
        Path out = design.resolve("test_out.txt");
        run(design, List.of(exe.toString(), tf.toString(), out.toString(), Integer.toString(stallPercent)),
                design.resolve("test_run.log"));
        List<Step> steps = new ArrayList<>();
        List<String> lines = Files.readAllLines(out);
        int i = 0;
        while (i < lines.size() && lines.get(i).startsWith("P ")) {
            String[] p = lines.get(i).split(" ");
            i++;
            List<Integer> l = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).startsWith("P ") && !lines.get(i).startsWith("END")
                    && !lines.get(i).startsWith("OVERFLOW")) {
                l.add(Integer.parseInt(lines.get(i).trim()));
                i++;
            }
            steps.add(new Step(Integer.parseInt(p[1]), Long.parseLong(p[2]),
                    l.stream().mapToInt(Integer::intValue).toArray()));
        }
        return steps;
    }

    private static void run(Path dir, List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new AssertionError("command failed (" + rc + "): " + String.join(" ", cmd) + "\n"
                    + Files.readString(log));
        }
    }
}
