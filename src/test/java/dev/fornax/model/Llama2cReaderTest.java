package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import dev.fornax.ir.Architecture;
import dev.fornax.ir.Matrix;
import dev.fornax.ir.ModelSpec;
import dev.fornax.ir.RopeScaling;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cReaderTest {
    /** The repo's bundled copy: present in every clone. */
    static final Path BUNDLED = Path.of("models/stories260K/stories260K.bin");

    @Test
    void stories260KHeaderAndSpec() {
        LoadedWeights w = ModelLoader.loadWeights(BUNDLED);
        ModelSpec s = w.spec();
        assertThat(s.architecture()).isEqualTo(Architecture.LLAMA);
        assertThat(Arrays.asList(s.hidden(), s.intermediate(), s.layers(), s.heads(), s.kvHeads(), s.headDim(),
                s.vocab(), s.contextLength())).containsExactly(64, 172, 5, 8, 4, 8, 512, 512);
        assertThat(s.tiedEmbeddings()).isTrue();
        assertThat(s.rope().theta()).isEqualTo(10000.0);
        assertThat(s.rope().scaling()).isEqualTo(new RopeScaling.None());
        assertThat(s.normEps()).isEqualTo(1e-5);
        assertThat(s.bosId()).isEqualTo(1);
        assertThat(s.eosIds()).containsExactly(1);
        assertThat(w.format()).isEqualTo("llama2c");
    }

    /** The two shipped forms of stories260K must hold identical weights after the q/k permutation. */
    @Test
    void binAndHfFormsAreIdenticalTensorForTensor() {
        LoadedWeights bin = ModelLoader.loadWeights(BUNDLED);
        LoadedWeights hf = ModelLoader.loadWeights(Shared.require("models/stories260K-hf"));
        assertThat(bin.spec().hidden()).isEqualTo(hf.spec().hidden());
        Map<String, float[]> a = WeightDump.of(bin);
        Map<String, float[]> b = WeightDump.of(hf);
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((name, values) -> assertThat(b.get(name)).as(name).containsExactly(values));
        // Guard against a vacuous match: the unpermuted llama2.c rows differ from HF's.
        assertThat(WeightDump.all(rawWq0())).isNotEqualTo(a.get("layer0.wq"));
    }

    /** Layer 0's wq as stored in the .bin (interleaved-pair layout), mapped straight from the file. */
    private static Matrix rawWq0() {
        try (FileChannel ch = FileChannel.open(BUNDLED)) {
            int d = 64;
            long offset = 28 + 4L * (512 * d + 5 * d); // header, token embedding, rms_att
            return MappedMatrix.map("wq[0]", BUNDLED, ch, offset, Dtype.F32, d, d);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void permutationIsTheInverseOfHfConvertPermute() {
        // transformers' permute: w.view(H, hd/2, 2, D).transpose(1, 2).reshape(H·hd, D), so
        // HF row (h, j, i) = original row (h, i, j). Here for H=2, hd=4:
        assertThat(PermutedRowsMatrix.interleavedToRotateHalf(2, 4)).containsExactly(0, 2, 1, 3, 4, 6, 5, 7);
    }

    @Test
    void sizeInconsistentWithHeaderIsAnError(@TempDir Path tmp) throws IOException {
        byte[] good = Files.readAllBytes(BUNDLED);
        Path truncated = tmp.resolve("short.bin");
        Files.write(truncated, Arrays.copyOf(good, good.length - 4));
        assertThatThrownBy(() -> ModelLoader.loadWeights(truncated)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("does not match its llama2.c header").hasMessageContaining("1056540");
        // A negative vocab announces an untied classifier that the file does not hold.
        Path untied = tmp.resolve("untied.bin");
        byte[] copy = good.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(20, -512);
        Files.write(untied, copy);
        assertThatThrownBy(() -> ModelLoader.loadWeights(untied)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("does not match its llama2.c header");
    }

    @Test
    void negativeVocabReadsTheUntiedClassifier(@TempDir Path tmp) throws IOException {
        byte[] good = Files.readAllBytes(BUNDLED);
        // Append a classifier = embedding × 2 and flag it with a negative vocab.
        ByteBuffer in = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(good.length + 512 * 64 * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(good);
        out.putInt(20, -512);
        for (int i = 0; i < 512 * 64; i++) {
            out.putFloat(good.length + 4 * i, 2 * in.getFloat(28 + 4 * i));
        }
        Path file = tmp.resolve("untied.bin");
        Files.write(file, out.array());
        LoadedWeights w = ModelLoader.loadWeights(file);
        assertThat(w.spec().tiedEmbeddings()).isFalse();
        float[] emb = w.embedding().row(300);
        float[] cls = w.lmHead().row(300);
        for (int i = 0; i < 64; i++) {
            assertThat(cls[i]).isEqualTo(2 * emb[i]);
        }
    }

    @Test
    void newerExportFormatIsRefusedClearly(@TempDir Path tmp) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x616b3432).putInt(2);
        Path file = tmp.resolve("v2.bin");
        Files.write(file, b.array());
        assertThatThrownBy(() -> ModelLoader.loadWeights(file)).hasMessageContaining("export format version 2");
    }
}
