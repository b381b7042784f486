package dev.fornax.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.fornax.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Permission denied and its kin keep their cause in the message (issue 13 item 9). */
class IoErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void nioExceptionsSayWhatHappened() {
        assertThat(IoErrors.describe(new AccessDeniedException("/d/x.tmp"))).isEqualTo("permission denied: /d/x.tmp");
        assertThat(IoErrors.describe(new NoSuchFileException("/d/x"))).isEqualTo("no such file or directory: /d/x");
        assertThat(IoErrors.describe(new FileSystemException("/d/x", null, "No space left on device")))
                .isEqualTo("no space left on device: /d/x");
        assertThat(IoErrors.describe(new MalformedInputException(3))).isEqualTo("not valid UTF-8");
        assertThat(IoErrors.describe(new IOException("Broken pipe"))).isEqualTo("broken pipe");
    }

    @Test
    void permissionDeniedOnTheOutputDirectoryKeepsItsCause() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores directory permissions");
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run("compile", "models/stories260K/stories260K.bin", "-o", locked.resolve("d").toString());
            assertThat(exit).isEqualTo(1);
        } finally {
            System.setErr(oldErr);
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("permission denied");
    }
}
