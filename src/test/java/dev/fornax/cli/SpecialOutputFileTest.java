package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.sim.StandinDesign;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs that are FIFOs, symbolic links, sockets or directories: refused with one line naming
 * the option, the node left exactly as it was, nothing else written (issue 13 item 1: these used
 * to be replaced by a 0600 regular file).
 */
class SpecialOutputFileTest {
    private static final String STORIES = "models/stories260K/stories260K.bin";

    @TempDir
    Path tmp;

    private static void refused(CliRun r, String... fragments) {
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: ").endsWith("\n").contains(fragments);
        assertThat(r.err().strip()).doesNotContain("\n");
    }

    private String[] listing() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    /** Type and permission bits, inode and change time: any chmod, chown, replacement or write shows. */
    private static String node(Path p) throws Exception {
        return Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) + " "
                + Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS) + " "
                + Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS) + " "
                + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void logitsToAFifoIsRefusedAndTheFifoStaysModeIncluded() throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", "-m", "0620", fifo.toString()).start().waitFor()).isZero();
        String before = node(fifo);
        refused(CliRun.of("logits", STORIES, "--tokens", "1,2", "--out", fifo.toString()), "--out ", "is a FIFO");
        refused(CliRun.of("tiny", "--arch", "llama", "--force", "-o", fifo.toString()), "-o ", "is a FIFO");
        refused(CliRun.of("compile", STORIES, "-o", fifo.toString()), "-o ", "is a FIFO");
        assertThat(node(fifo)).isEqualTo(before);
        assertThat(Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0010620);
        assertThat(listing()).containsExactly("fifo");
    }

    @Test
    void logitsToASymbolicLinkIsRefusedAndTheLinkAndItsFileStay() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "keep");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), file);
        String linkBefore = node(link);
        String fileBefore = node(file);
        refused(CliRun.of("logits", STORIES, "--tokens", "1,2", "--out", link.toString()), "is a symbolic link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(node(link)).isEqualTo(linkBefore);
        assertThat(node(file)).isEqualTo(fileBefore);
        assertThat(Files.readString(file)).isEqualTo("keep");
        assertThat(listing()).containsExactly("file", "link");
    }

    @Test
    void logitsToARegularFileReplacesItWithTheUsualPermissions() throws Exception {
        Path out = Files.writeString(tmp.resolve("logits.f32"), "old");
        CliRun r = CliRun.of("logits", STORIES, "--tokens", "1,2", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.size(out)).isEqualTo(2 * 512 * 4);
        Path plain = Files.createFile(tmp.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(listing()).containsExactly("logits.f32", "plain");
    }

    @Test
    void compileAndTinyToASymbolicLinkOrFifoAreRefused() throws Exception {
        Path realDir = Files.createDirectories(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("dlink"), realDir);
        refused(CliRun.of("compile", STORIES, "-o", link.toString()), "-o ", "is a symbolic link");
        refused(CliRun.of("tiny", "--arch", "llama", "-o", link.toString(), "--force"), "-o ", "is a symbolic link");
        Path fifo = tmp.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        refused(CliRun.of("compile", STORIES, "-o", fifo.toString()), "-o ", "is a FIFO");
        refused(CliRun.of("tiny", "--arch", "llama", "-o", fifo.toString()), "is a FIFO");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(listing()).containsExactly("dlink", "fifo", "real");
    }

    @Test
    void verifyWaveToAFifoIsRefusedBeforeAnySimulation() throws Exception {
        StandinDesign d = StandinDesign.create(tmp.resolve("design"), 512, 16, false, 64, 0);
        d.writeManifest(Path.of(STORIES));
        Path fifo = tmp.resolve("wave.vcd");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        refused(CliRun.of("verify", d.dir.toString(), "--tokens", "1", "-n", "1", "--wave", fifo.toString()),
                "--wave ", "is a FIFO");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
