package dev.fornax.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GGUF container reader on hand-made files: what it accepts, and one clear error for everything else. */
class GgufFileTest {
    @TempDir
    Path dir;

    private Path write(byte[] bytes) throws IOException {
        Path p = dir.resolve("m.gguf");
        Files.write(p, bytes);
        return p;
    }

    private static GgufBytes valid() {
        return new GgufBytes()
                .string("general.architecture", "llama")
                .u32("llama.block_count", 2)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .stringArray("tokenizer.ggml.tokens", "a", "b", "ab")
                .tensor("a.weight", 0, GgufBytes.floats(1, 2, 3, 4, 5, 6), 3, 2)
                .tensor("b.weight", 0, GgufBytes.floats(7), 1);
    }

    @Test
    void readsMetadataTensorsAndLayout() throws IOException {
        try (GgufFile f = GgufFile.read(write(valid().build()))) {
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.alignment()).isEqualTo(32);
            assertThat(f.dataStart() % 32).isZero();
            assertThat(f.meta().requireString("general.architecture")).isEqualTo("llama");
            assertThat(f.meta().requirePositiveInt("llama.block_count")).isEqualTo(2);
            assertThat(f.meta().requirePositiveNumber("llama.attention.layer_norm_rms_epsilon")).isEqualTo((double) 1e-5f);
            assertThat(f.meta().requireStringArray("tokenizer.ggml.tokens")).containsExactly("a", "b", "ab");
            GgufFile.TensorInfo a = f.tensor("a.weight");
            assertThat(a.dims()).containsExactly(3, 2);
            assertThat(a.shapeString()).isEqualTo("[2, 3]");
            assertThat(a.byteSize()).isEqualTo(24);
            assertThat(f.tensor("b.weight").offset()).isEqualTo(32); // padded to the alignment
            float[] row = new float[3];
            Dequantizer.decode(GgmlType.F32, f.map(a, 12, 12), 0, 3, row, 0);
            assertThat(row).containsExactly(4, 5, 6);
        }
    }

    @Test
    void honoursGeneralAlignment() throws IOException {
        GgufBytes b = valid().u32("general.alignment", 64);
        b.alignment = 64;
        try (GgufFile f = GgufFile.read(write(b.build()))) {
            assertThat(f.alignment()).isEqualTo(64);
            assertThat(f.dataStart() % 64).isZero();
            assertThat(f.tensor("b.weight").offset()).isEqualTo(64);
        }
    }

    private void assertRefused(byte[] bytes, String... fragments) throws IOException {
        Path p = write(bytes);
        assertThatThrownBy(() -> GgufFile.read(p).close())
                .isInstanceOf(FornaxException.class)
                .hasMessageStartingWith(p.toString())
                .hasMessageContainingAll(fragments);
    }

    @Test
    void refusesWhatGgmlRefuses() throws IOException {
        assertRefused("not a gguf at all".getBytes(), "not a GGUF file");
        GgufBytes v1 = valid();
        v1.version = 1;
        assertRefused(v1.build(), "version 1 is not supported");
        GgufBytes bigEndian = valid();
        bigEndian.version = Integer.reverseBytes(3);
        assertRefused(bigEndian.build(), "big-endian");
        assertRefused(valid().u32("general.alignment", 48).build(), "general.alignment", "not a power of two");
        assertRefused(valid().string("general.alignment", "32").build(), "general.alignment", "must be a uint32");
        assertRefused(valid().string("general.architecture", "again").build(), "'general.architecture' appears twice");
        assertRefused(valid().raw("x", 99, new byte[0]).build(), "'x' has unknown value type 99");
        assertRefused(new GgufBytes().tensor("t", 99, new byte[4], 1).build(), "tensor 't' has unknown ggml type 99");
        assertRefused(new GgufBytes().tensor("q", GgmlType.Q8_0.id(), new byte[34], 10).build(),
                "tensor 'q' of type Q8_0 has rows of 10 elements, not a multiple of its block size 32");
        assertRefused(new GgufBytes().tensor("t", 0, new byte[4], 1).tensor("t", 0, new byte[4], 1).build(),
                "tensor 't' appears twice");
        assertRefused(new GgufBytes().tensorAt("t", 0, new byte[4], 32, 1).build(),
                "tensor 't' has data offset 32, expected 0");
        assertRefused(new GgufBytes().tensor("t", 0, new byte[4], 1, 1, 1, 1, 1).build(), "5 dimensions");
        assertRefused(new GgufBytes().tensor("n".repeat(64), 0, new byte[4], 1).build(), "longer than 63 bytes");
    }

    @Test
    void refusesLengthsBeyondTheFile() throws IOException {
        byte[] ok = valid().build();
        // the tensor data is cut (the file ends with b.weight's 4 bytes and 28 bytes of padding)
        assertRefused(Arrays.copyOf(ok, ok.length - 29), "tensor 'b.weight'", "extends beyond the end of the file");
        // a string length of 2^62 at the first key
        byte[] hugeString = ok.clone();
        System.arraycopy(GgufBytes.le(8, 1L << 62), 0, hugeString, 24, 8);
        assertRefused(hugeString, "runs past the end of the file");
        // a metadata count of 2^40
        byte[] hugeCount = ok.clone();
        System.arraycopy(GgufBytes.le(8, 1L << 40), 0, hugeCount, 16, 8);
        assertRefused(hugeCount, "the metadata count 1099511627776 cannot fit");
        // negative (≥ 2^63 unsigned) tensor count
        byte[] negative = ok.clone();
        System.arraycopy(GgufBytes.le(8, -1L), 0, negative, 8, 8);
        assertRefused(negative, "the tensor count 18446744073709551615 cannot fit");
        // an array of 2^61 strings
        byte[] hugeArray = new GgufBytes().raw("a", 9, concat(GgufBytes.le(4, 8), GgufBytes.le(8, 1L << 61))).build();
        assertRefused(hugeArray, "the length of metadata 'a'", "cannot fit");
    }

    @Test
    void everyTruncationIsOneClearError() throws IOException {
        byte[] ok = valid().build();
        int end = ok.length - 28; // the padding after the last tensor is not needed
        for (int cut = 0; cut < end; cut++) {
            Path p = write(Arrays.copyOf(ok, cut));
            assertThatThrownBy(() -> GgufFile.read(p).close()).as("cut at %d", cut)
                    .isInstanceOf(FornaxException.class).hasMessageStartingWith(p.toString());
        }
    }

    /** Random corruption of a valid file is either read or refused with a FornaxException, nothing else. */
    @Test
    void randomCorruptionNeverEscapesAsAnotherException() throws IOException {
        byte[] ok = valid().build();
        Random random = new Random(12);
        for (int i = 0; i < 400; i++) {
            byte[] bad = ok.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                int at = random.nextInt(Math.min(bad.length, 200));
                bad[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : bad[at] ^ (1 << random.nextInt(8)));
            }
            Path p = write(bad);
            try {
                GgufFile.read(p).close();
            } catch (FornaxException e) {
                assertThat(e.getMessage()).startsWith(p.toString());
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
