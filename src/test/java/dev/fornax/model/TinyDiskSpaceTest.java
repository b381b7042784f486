package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tiny with dimensions whose weights cannot fit the disk (2^31-1 layers: about 500 TB): refused
 * before anything is planned or written, with the sizes and the margin in the message.
 */
class TinyDiskSpaceTest {
    @TempDir
    Path tmp;

    @Test
    void weightsLargerThanTheFreeSpaceAreRefusedBeforeWriting() throws Exception {
        Cli r = Cli.run("tiny", "--arch", "llama", "--layers", "2147483647", "-o", tmp.resolve("huge").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: not enough disk space in " + tmp.toAbsolutePath()
                + ": the model's weights need about ").contains(" MiB plus a 64 MiB margin for the other files; ")
                .endsWith(" MiB free\n");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }
}
