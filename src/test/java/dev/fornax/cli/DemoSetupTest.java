package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.testing.Shared;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fornax demo} on a machine without Verilator: a PATH that lacks it, and an apt-get stub
 * (FORNAX_APT) that records what it is asked to run, reports apt's progress status and then makes
 * the real Verilator appear on that PATH, as installing the package would.
 */
class DemoSetupTest {
    static final String INSTALLER = "scripts/install-tools";

    /** Links to every executable of /usr/bin and /bin but these (made once: a thousand links). */
    static final Set<String> ABSENT = Set.of("verilator", "iverilog", "vvp", "apt-get", "sudo");
    static Path bin;

    @TempDir
    Path tmp;

    @BeforeAll
    static void linkPath() throws IOException {
        bin = Files.createTempDirectory("fornax-path");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String dir : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : s.toList()) {
                    Path link = bin.resolve(p.getFileName().toString());
                    if (!ABSENT.contains(p.getFileName().toString()) && Files.isExecutable(p)
                            && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, p);
                    }
                }
            }
        }
    }

    @AfterAll
    static void unlinkPath() throws IOException {
        try (Stream<Path> s = Files.list(bin)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(bin);
    }

    @Test
    void installsVerilatorThenPrintsTheStoryOfTheSimulatedHardware() throws Exception {
        Shared.requireTool("verilator");
        Path verilator = onPath("verilator");
        // where the stub "installs" Verilator, and a sudo that needs no password (used only without root)
        Path installed = Files.createDirectories(tmp.resolve("installed"));
        script(installed.resolve("sudo"), "[ \"$1\" = -n ] && shift\nexec \"$@\"\n");
        Path log = tmp.resolve("apt.log");
        Path apt = script(tmp.resolve("apt-get-stub"), "echo \"$*\" >> " + log + "\n"
                + "if [ \"$1\" = install ]; then\n"
                + "  for p in 0 50 100; do echo \"dlstatus:1:$p.0000:Retrieving file 1 of 1\" >&3; done\n"
                + "  for p in 0 30 70 100; do echo \"pmstatus:verilator:$p.0000:Unpacking verilator\" >&3; done\n"
                + "  printf '#!/bin/sh\\nexec %s \"$@\"\\n' " + verilator + " > " + installed.resolve("verilator") + "\n"
                + "  chmod +x " + installed.resolve("verilator") + "\n"
                + "fi\n");
        Run r = demo(installed + ":" + bin, Map.of("FORNAX_APT", apt.toString()), "-n", "20");

        CliRun golden = CliRun.of("generate", DemoCommand.MODEL, "--prompt", DemoCommand.PROMPT, "-n", "20",
                "--engine", "int8");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).isEqualTo(golden.out());
        assertThat(Files.readString(log)).isEqualTo("update -qq\ninstall -y -q verilator -o APT::Status-Fd=3\n");
        List<String> err = r.err.lines().toList();
        assertThat(err.get(0)).isEqualTo("fornax: installing verilator with apt-get (missing: verilator)");
        assertThat(err).contains("fornax: installing 100% Unpacking verilator", "fornax: installed verilator",
                "match: every logit of 24 positions equals the golden model");
    }

    @Test
    void withoutAptTheDemoStopsWithOneLineAndPrintsNothingElse() throws Exception {
        Run r = demo(bin.toString(), Map.of());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(r.err).isEqualTo("fornax: verilator not found on PATH and there is no apt-get to install it;"
                + " install the Debian/Ubuntu packages verilator (or their equivalents) and run again\n");
    }

    /** verify and generate --engine rtl check the toolchain before they print the prompt; they install nothing. */
    @Test
    void rtlGenerationWithoutVerilatorFailsBeforeAnyText() throws Exception {
        Path design = tmp.resolve("design");
        assertThat(CliRun.of("compile", DemoCommand.MODEL, "-o", design.toString()).exit()).isZero();
        List<String> cmd = new ArrayList<>(fornax());
        cmd.addAll(List.of("generate", design.toString(), "--engine", "rtl", "--prompt", DemoCommand.PROMPT));
        Run r = run(cmd, bin.toString(), Map.of());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(r.err).isEqualTo("fornax: verilator not found on PATH; install with: apt-get install verilator"
                + " (as root), or run scripts/install-tools verilator\n");
    }

    /** Not root (as root: the script runs as nobody) and no sudo: one line naming the packages, apt never run. */
    @Test
    void withoutRootTheInstallerSaysExactlyWhatToInstall() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = tmp.resolve("apt.log");
        Path apt = script(tmp.resolve("apt-get-stub"), "echo \"$*\" >> " + log + "\n");
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of(onPath("setpriv").toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.addAll(List.of("bash", Path.of(INSTALLER).toAbsolutePath().toString(), "--as", "fornax",
                "verilator", "vvp", "make"));
        Run r = run(cmd, bin.toString(), Map.of("FORNAX_APT", apt.toString()));
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out).isEqualTo("verilator, vvp not found on PATH and installing them needs root;"
                + " run: sudo apt-get install verilator iverilog\n");
        assertThat(r.err).isEmpty();
        assertThat(log).doesNotExist();
    }

    @Test
    void theTestCommandUsesTheSameInstaller() throws IOException {
        assertThat(Files.readString(Path.of("test"))).contains("\"$here/" + INSTALLER + "\" --as test verilator");
    }

    private Run demo(String path, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(fornax());
        cmd.add("demo");
        cmd.addAll(List.of(args));
        return run(cmd, path, env);
    }

    /** This JVM and class path running the CLI in a process of its own (with its own PATH). */
    private static List<String> fornax() {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName());
    }

    private record Run(int exit, String out, String err) {}

    private Run run(List<String> cmd, String path, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("PATH", path);
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, tool);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(tool + " not on PATH");
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        p.waitFor();
        return uid.equals("0");
    }
}
