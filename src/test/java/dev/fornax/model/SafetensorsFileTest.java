package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header validation: each malformed file gives one FornaxException naming the file and tensor. */
class SafetensorsFileTest {
    @TempDir
    Path tmp;

    private Path file(String entries, byte[] data) throws IOException {
        return RawSafetensors.write(tmp.resolve("t.safetensors"), "{\"__metadata__\":{\"format\":\"pt\"}," + entries + "}", data);
    }

    private static void fails(Path file, String... fragments) {
        assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOf(FornaxException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                    assertThat(e.getMessage()).doesNotContain("\n");
                });
    }

    @Test
    void validFileReadsHeaderAndData() throws IOException {
        Path f = file(RawSafetensors.entry("a", "F32", "[2,2]", 0, 16) + "," + RawSafetensors.entry("b", "F32", "[1]", 16, 20),
                RawSafetensors.f32(1, 2, 3, 4, 5));
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertThat(s.metadata()).containsEntry("format", "pt");
            assertThat(s.entry("a").shape()).containsExactly(2, 2);
            assertThat(s.entry("b").dtype()).isEqualTo(Dtype.F32);
            assertThat(s.map(s.entry("b"), 0, 4).getFloat(0)).isEqualTo(5f);
            assertThat(s.entry("missing")).isNull();
        }
    }

    @Test
    void headerLengthBeyondFile() throws IOException {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        Path f = RawSafetensors.write(tmp.resolve("h.safetensors"), 1_000_000, header, 6, new byte[0]);
        fails(f, "header length 1000000 is beyond the file size 16");
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path f = Files.write(tmp.resolve("s.safetensors"), new byte[] {1, 2, 3});
        fails(f, "not a safetensors file");
    }

    @Test
    void truncatedData() throws IOException {
        Path f = file(RawSafetensors.entry("w", "F32", "[4]", 0, 16), RawSafetensors.f32(1, 2, 3, 4));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 3));
        fails(f, "tensor 'w'", "out of range", "truncated");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        Path f = file(RawSafetensors.entry("w", "F32", "[2]", 100, 108), RawSafetensors.f32(1, 2));
        fails(f, "tensor 'w'", "data_offsets [100, 108] are out of range");
    }

    @Test
    void overlappingTensors() throws IOException {
        Path f = file(RawSafetensors.entry("a", "F32", "[2]", 0, 8) + "," + RawSafetensors.entry("b", "F32", "[2]", 4, 12),
                RawSafetensors.f32(1, 2, 3));
        fails(f, "tensors 'a' and 'b' overlap");
    }

    @Test
    void gapsAndTrailingBytesAreRefused() throws IOException {
        Path gap = file(RawSafetensors.entry("a", "F32", "[1]", 4, 8), RawSafetensors.f32(1, 2));
        fails(gap, "unused bytes before tensor 'a'");
        Path trailing = file(RawSafetensors.entry("a", "F32", "[1]", 0, 4), RawSafetensors.f32(1, 2));
        fails(trailing, "4 bytes after the last tensor");
    }

    @Test
    void sizeNotMatchingShapeTimesDtype() throws IOException {
        Path f = file(RawSafetensors.entry("w", "BF16", "[3,2]", 0, 16), RawSafetensors.f32(1, 2, 3, 4));
        fails(f, "tensor 'w'", "hold 16 bytes but shape [3, 2] of BF16 needs 12");
    }

    @Test
    void unknownDtype() throws IOException {
        Path f = file(RawSafetensors.entry("w", "Q4_K", "[4]", 0, 4), RawSafetensors.f32(1));
        fails(f, "tensor 'w'", "unknown dtype 'Q4_K'");
    }

    @Test
    void malformedHeaders() throws IOException {
        fails(RawSafetensors.write(tmp.resolve("j.safetensors"), "{\"w\": [", new byte[0]), "invalid JSON");
        fails(RawSafetensors.write(tmp.resolve("a.safetensors"), "[1,2]", new byte[0]), "not a JSON object");
        fails(RawSafetensors.write(tmp.resolve("g.safetensors"), "{} {}", new byte[0]), "invalid JSON");
        fails(file("\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}", new byte[0]), "non-negative integers");
        fails(file("\"w\":{\"dtype\":\"F32\",\"shape\":[1]}", RawSafetensors.f32(1)), "data_offsets must be [begin, end]");
        fails(file("\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}", RawSafetensors.f32(1)), "not an ascending");
    }

    @Test
    void missingFile() {
        fails(tmp.resolve("none.safetensors"), "file not found");
    }
}
