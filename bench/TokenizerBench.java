import dev.fornax.tokenizer.Tokenizer;
import dev.fornax.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizer load and encode times. Run from the repo root (after ./fornax has built the jar):
 *   java -cp target/fornax.jar bench/TokenizerBench.java [../shared]
 * Each tokenizer is loaded once (cold: first load in this JVM), then 3 more times (warm: the best wall
 * time, CPU time of the loading thread, and CPU time of the whole process including GC threads); encoding
 * is timed (best of 20 after 20 warm-up runs) on the 2000-character paragraph of encodings.jsonl. On a
 * shared machine compare the CPU columns: wall time includes waiting for a core.
 */
public class TokenizerBench {
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        List<Path> files = new ArrayList<>();
        files.add(Path.of("models/stories260K/tok512.bin"));
        for (String name : new String[] {"qwen3", "llama3", "mistral", "gemma3"}) {
            files.add(shared.resolve("tokenizers/" + name + "/tokenizer.json"));
        }
        String paragraph = longestText(shared.resolve("tokenizers/qwen3/encodings.jsonl"));
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        var process = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("%-46s %10s %10s %10s %10s %12s %7s%n", "tokenizer", "load cold", "load warm",
                "thread cpu", "proc cpu", "encode 2000c", "tokens");
        for (Path file : files) {
            long t0 = System.nanoTime();
            Tokenizer tokenizer = Tokenizers.open(file);
            long cold = System.nanoTime() - t0;
            long warm = Long.MAX_VALUE;
            long warmCpu = Long.MAX_VALUE;
            long warmProcessCpu = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                long c = threads.getCurrentThreadCpuTime();
                long p = process.getProcessCpuTime();
                Tokenizers.open(file);
                warm = Math.min(warm, System.nanoTime() - t);
                warmCpu = Math.min(warmCpu, threads.getCurrentThreadCpuTime() - c);
                warmProcessCpu = Math.min(warmProcessCpu, process.getProcessCpuTime() - p);
            }
            int tokens = 0;
            for (int i = 0; i < 20; i++) {
                tokens = tokenizer.encode(paragraph, true).length;
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 20; i++) {
                long t = System.nanoTime();
                tokenizer.encode(paragraph, true);
                best = Math.min(best, System.nanoTime() - t);
            }
            System.out.printf("%-46s %8.0fms %8.0fms %8.0fms %8.0fms %10.2fms %7d%n", file, cold / 1e6,
                    warm / 1e6, warmCpu / 1e6, warmProcessCpu / 1e6, best / 1e6, tokens);
        }
    }

    private static String longestText(Path jsonl) throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String longest = "";
        for (String line : Files.readAllLines(jsonl)) {
            String text = mapper.readTree(line).get("text").asText();
            if (text.length() > longest.length()) {
                longest = text;
            }
        }
        return longest;
    }
}
