package dev.fornax.rtl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingWriterTest {
    @TempDir
    Path tmp;

    /** Pieces and zero runs of every size across several 8 MiB chunks: file and hash equal a plain copy's. */
    @Test
    void fileAndHashEqualAPlainWrite() throws Exception {
        Random rnd = new Random(3);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Path f = tmp.resolve("image.bin");
        try (HashingWriter w = new HashingWriter(f)) {
            while (expected.size() < 30 << 20) {
                if (rnd.nextInt(3) == 0) {
                    int n = rnd.nextInt(5000);
                    w.zeros(n);
                    expected.write(new byte[n]);
                } else {
                    byte[] piece = new byte[rnd.nextInt(4) == 0 ? rnd.nextInt(12 << 20) : rnd.nextInt(3000)];
                    rnd.nextBytes(piece);
                    int off = piece.length == 0 ? 0 : rnd.nextInt(piece.length);
                    w.write(piece, off, piece.length - off);
                    expected.write(piece, off, piece.length - off);
                }
            }
            assertThat(w.written()).isEqualTo(expected.size());
            w.close();
            String want = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray()));
            assertThat(w.sha256()).isEqualTo(want);
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(expected.toByteArray());
    }

    @Test
    void emptyFileHasTheEmptyHash() throws Exception {
        Path f = tmp.resolve("empty.bin");
        HashingWriter w = new HashingWriter(f);
        w.close();
        assertThat(w.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Files.size(f)).isZero();
    }
}
