package dev.fornax.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which nodes an output may replace: only regular files (or directories, for directory outputs). */
class OutputTargetsTest {
    @TempDir
    Path tmp;

    static void mkfifo(Path p) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor()).isZero();
    }

    @Test
    void newPathAndRegularFileAreAccepted() throws Exception {
        assertThatCode(() -> OutputTargets.requireFile(tmp.resolve("new.bin"), "--out")).doesNotThrowAnyException();
        Path f = Files.writeString(tmp.resolve("old.bin"), "x");
        assertThatCode(() -> OutputTargets.requireFile(f, "--out")).doesNotThrowAnyException();
        assertThatCode(() -> OutputTargets.requireDirectory(tmp.resolve("newdir"), "-o")).doesNotThrowAnyException();
        assertThatCode(() -> OutputTargets.requireDirectory(tmp, "-o")).doesNotThrowAnyException();
    }

    @Test
    void fifoIsRefusedAndKept() throws Exception {
        Path fifo = tmp.resolve("pipe");
        mkfifo(fifo);
        assertThatThrownBy(() -> OutputTargets.requireFile(fifo, "--out")).isInstanceOf(FornaxException.class)
                .hasMessageStartingWith("--out " + fifo + " is a FIFO (named pipe)");
        assertThatThrownBy(() -> OutputTargets.requireDirectory(fifo, "-o")).hasMessageContaining("is a FIFO");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void symbolicLinkIsRefusedEvenToARegularFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("real"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), file);
        assertThatThrownBy(() -> OutputTargets.requireFile(link, "--out")).hasMessageContaining("is a symbolic link");
        Path dirLink = Files.createSymbolicLink(tmp.resolve("dirlink"), tmp);
        assertThatThrownBy(() -> OutputTargets.requireDirectory(dirLink, "-o")).hasMessageContaining("is a symbolic link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void characterDeviceIsRefused() {
        // only read: the attributes of /dev/null decide, nothing is opened or written
        assertThatThrownBy(() -> OutputTargets.requireFile(Path.of("/dev/null"), "--out"))
                .hasMessageContaining("is a character device");
    }

    @Test
    void socketIsRefused() throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
            assertThatThrownBy(() -> OutputTargets.requireFile(sock, "--out")).hasMessageContaining("is a socket");
        }
    }

    @Test
    void directoryForAFileAndFileForADirectoryAreRefused() throws Exception {
        assertThatThrownBy(() -> OutputTargets.requireFile(tmp, "--out")).hasMessageContaining("is a directory; name a file");
        Path f = Files.writeString(tmp.resolve("f"), "x");
        assertThatThrownBy(() -> OutputTargets.requireDirectory(f, "-o")).hasMessageContaining("exists and is a file");
        assertThatThrownBy(() -> OutputTargets.requireFile(tmp.resolve("no/such/x"), "--out"))
                .hasMessageContaining("does not exist");
    }
}
