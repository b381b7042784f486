package dev.fornax.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.ir.Architecture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files crafted to mislead (issue 13 items 7, 8, 9, 10): each is refused with exit 1 and one
 * line that names the right file and says what is wrong, never a silently different model.
 */
class HostileModelFileTest {
    @TempDir
    Path tmp;

    private Path good;

    @BeforeEach
    void writeGoodModel() {
        good = TinyWriter.write(TinyModel.defaults(Architecture.LLAMA), tmp.resolve("good"), 1, Dtype.BF16, 1, false).dir();
    }

    private Path copy(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(good.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    static Cli fails(String... args) {
        Cli r = Cli.run(args);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("fornax: ").endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("internal error");
        return r;
    }

    @Test
    void duplicateTensorNameInTheSafetensorsHeader() throws IOException {
        Path dir = copy("dup");
        Path st = dir.resolve("model.safetensors");
        String header = "{" + RawSafetensors.entry("model.norm.weight", "F32", "[2]", 0, 8) + ","
                + RawSafetensors.entry("model.norm.weight", "F32", "[2]", 8, 16) + "}";
        RawSafetensors.write(st, header, RawSafetensors.f32(1, 2, 3, 4));
        assertThat(fails("inspect", dir.toString()).err())
                .contains(st.toString(), "safetensors header", "duplicate key", "model.norm.weight");
    }

    @Test
    void duplicateTensorInTheShardIndex() throws IOException {
        Path dir = tmp.resolve("sharded");
        TinyWriter.write(TinyModel.defaults(Architecture.LLAMA), dir, 1, Dtype.BF16, 2, false);
        Path index = dir.resolve(HfTensors.INDEX);
        String text = Files.readString(index);
        Files.writeString(index, text.replace("\"weight_map\": {", "\"weight_map\": {\n    \"model.norm.weight\": \"model-00001-of-00002.safetensors\","));
        assertThat(fails("inspect", dir.toString()).err()).contains(index.toString(), "duplicate key", "model.norm.weight");
    }

    @Test
    void safetensorsHeaderThatIsNotUtf8() throws IOException {
        Path dir = copy("latin1");
        Path st = dir.resolve("model.safetensors");
        byte[] header = ("{\"__metadata__\":{\"n\":\"caf\u00e9\"}," + RawSafetensors.entry("x", "F32", "[1]", 0, 4) + "}")
                .getBytes(StandardCharsets.ISO_8859_1);
        RawSafetensors.write(st, header.length, header, 0, RawSafetensors.f32(1));
        assertThat(fails("inspect", dir.toString()).err()).contains(st.toString(), "not valid UTF-8", "byte 0xE9");
    }

    private Path llama2c(String name, int... header) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * header.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : header) {
            b.putInt(v);
        }
        return Files.write(tmp.resolve(name), b.array());
    }

    @Test
    void llama2cHeaderWhoseSizeOverflows() throws IOException {
        // dim = hidden_dim = 2^30: 3·dim·hidden_dim alone is 3·2^60 floats; the old check printed a negative size
        Path f = llama2c("ovf.bin", 1 << 30, 1 << 30, 1, 1 << 10, 1 << 10, 512, 1);
        assertThat(fails("inspect", f.toString()).err())
                .contains(f.toString(), "describes more than 2^63 bytes").doesNotContain("needs -");
    }

    @Test
    void llama2cHeaderWhoseSizeWrapsToItsOwnLength() throws IOException {
        // 28 + 4·floats wraps around 2^64 to exactly 28: without exact arithmetic this 28-byte file "fits"
        Path f = llama2c("wrap.bin", 1 << 30, 1 << 30, 1, 1 << 29, 1 << 29, 1073741820, 1 << 29);
        assertThat(Files.size(f)).isEqualTo(28);
        assertThat(fails("inspect", f.toString()).err()).contains(f.toString(), "describes more than 2^63 bytes");
    }

    @Test
    void configDimensionsWhoseWeightCountOverflows() throws IOException {
        Path dir = copy("huge");
        Path cfg = dir.resolve("config.json");
        com.fasterxml.jackson.databind.node.ObjectNode c =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(cfg.toFile());
        c.remove("head_dim");
        c.put("hidden_size", 2147483584).put("num_attention_heads", 4).put("num_key_value_heads", 4)
                .put("intermediate_size", 2147483647).put("num_hidden_layers", 2147483647);
        Files.writeString(cfg, c.toString());
        assertThat(fails("inspect", dir.toString()).err())
                .contains(cfg.toString(), "hidden_size", "more weights than 64-bit sizes can count");
    }

    @Test
    void configWithLatin1Bytes() throws IOException {
        Path dir = copy("latin1config");
        Path cfg = dir.resolve("config.json");
        String text = Files.readString(cfg).replace("{", "{\n  \"_name_or_path\": \"caf\u00e9\",");
        Files.write(cfg, text.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(fails("inspect", dir.toString()).err())
                .contains(cfg.toString(), "not valid UTF-8", "byte 0xE9 at offset").doesNotContain("Input length");
    }

    @Test
    void generationConfigEosOutsideTheVocabularyIsBlamedOnGenerationConfig() throws IOException {
        Path dir = copy("geneos");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [2, 9999]}");
        assertThat(fails("inspect", dir.toString()).err())
                .startsWith("fornax: " + dir.resolve("generation_config.json") + ": eos_token_id 9999 is outside the vocabulary of 512");
    }

    @Test
    void addedTokenWithAnIdBeyondTheModelsVocabulary() throws IOException {
        Path dir = copy("addedtoken");
        Path tok = dir.resolve("tokenizer.json");
        Files.writeString(tok, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2}, \"merges\": [\"a b\"]},"
                + " \"added_tokens\": [{\"id\": 700, \"content\": \"<y>\", \"special\": false}]}");
        assertThat(fails("generate", dir.toString(), "--prompt", "<y>ab", "-n", "1").err())
                .isEqualTo("fornax: " + tok + ": added token \"<y>\" (id 700) is outside the vocabulary of the model "
                        + dir + " (512 ids, 0..511)\n");
        fails("inspect", dir.toString());
        // the tokenizer alone still encodes and decodes its own ids
        Cli t = Cli.run("tokenize", tok.toString(), "--decode", "700,2");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).contains("<y>");
    }
}
