package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.testing.Shared;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A .gguf file wherever a MODEL is accepted: same answers as the HF directory it was converted from. */
class GgufCliTest {
    static Path resource(String name) throws URISyntaxException {
        return Path.of(GgufCliTest.class.getResource("/gguf/" + name).toURI());
    }

    @Test
    void inspectDescribesTheSameModelAsTheSafetensors() throws Exception {
        Path hf = Shared.require("fixtures/hf/phi3");
        JsonNode g = json(CliRun.of("inspect", resource("phi3-bf16.gguf").toString(), "--json"));
        JsonNode h = json(CliRun.of("inspect", hf.toString(), "--json"));
        for (String key : List.of("model_type", "hidden_size", "num_layers", "num_heads", "num_kv_heads", "head_dim",
                "intermediate_size", "vocab_size", "parameters", "context_length", "rope_theta", "activation",
                "tied_embeddings", "qkv_bias", "scale_embeddings", "bos_token_id", "eos_token_ids")) {
            assertThat(g.get(key)).as(key).isEqualTo(h.get(key));
        }
        assertThat(g.get("format").asText()).isEqualTo("gguf");
        assertThat(g.get("storage").asText()).isEqualTo("BF16+F32");
        assertThat(g.get("weights_checked").asBoolean()).isTrue();
        assertThat(g.get("tokenizer").asText()).isEqualTo("HfTokenizer");
    }

    @Test
    void logitsEqualThoseOfTheSafetensors(@TempDir Path tmp) throws Exception {
        Path hf = Shared.require("fixtures/hf/qwen2/f16");
        Path a = tmp.resolve("a.f32");
        Path b = tmp.resolve("b.f32");
        assertThat(CliRun.of("logits", resource("qwen2_f16-f16.gguf").toString(), "--tokens", "1,5,7,519,0",
                "--out", a.toString()).exit()).isZero();
        assertThat(CliRun.of("logits", hf.toString(), "--tokens", "1,5,7,519,0", "--out", b.toString()).exit())
                .isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    /**
     * llama: q/k rows un-permuted exactly, so the compiled design is byte-identical to the HF one's
     * (the generated files name the model: "llama-bf16.gguf" instead of "llama").
     */
    @Test
    void compileGivesTheSameDesignAsTheSafetensors(@TempDir Path tmp) throws Exception {
        Path hf = Shared.require("fixtures/hf/llama");
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertThat(CliRun.of("compile", resource("llama-bf16.gguf").toString(), "-o", a.toString(), "--context", "16")
                .exit()).isZero();
        assertThat(CliRun.of("compile", hf.toString(), "-o", b.toString(), "--context", "16").exit()).isZero();
        List<Path> files = files(a);
        assertThat(files).isEqualTo(files(b)).isNotEmpty();
        for (Path f : files) {
            if (f.toString().equals("manifest.json")) {
                continue; // names the source model's path
            }
            if (f.toString().equals(Path.of("report", "compile.json").toString())) {
                // names the source and its tensors in the source's own names (blk.0.attn_q.weight vs
                // model.layers.0.self_attn.q_proj.weight); every figure must be the same
                assertThat(withoutNames(json(Files.readString(a.resolve(f)))))
                        .isEqualTo(withoutNames(json(Files.readString(b.resolve(f)))));
                continue;
            }
            String fromGguf = bytes(a.resolve(f)).replace("llama-bf16.gguf", "llama");
            assertThat(sha256(fromGguf)).as(f.toString()).isEqualTo(sha256(bytes(b.resolve(f))));
        }
    }

    @Test
    void badGgufIsOneLine(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.gguf");
        Files.write(bad, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1});
        for (String command : List.of("inspect", "generate", "tokenize")) {
            List<String> args = new ArrayList<>(List.of(command, bad.toString()));
            if (!command.equals("inspect")) {
                args.addAll(command.equals("generate") ? List.of("--tokens", "1") : List.of("--text", "hi"));
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.exit()).as(command).isEqualTo(1);
            assertThat(r.err()).as(command).startsWith("fornax: " + bad).contains("truncated GGUF header")
                    .doesNotContain("Exception").hasLineCount(1);
        }
    }

    private static String sha256(String text) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    }

    /** The file's bytes as one char each (binary files included). */
    private static String bytes(Path file) throws IOException {
        return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    private static JsonNode json(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }

    /** The tree with every "name" and "source" field taken out (they name files and tensors). */
    private static JsonNode withoutNames(JsonNode node) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) node;
            o.remove(List.of("name", "source"));
            o.forEach(GgufCliTest::withoutNames);
        } else if (node.isArray()) {
            node.forEach(GgufCliTest::withoutNames);
        }
        return node;
    }

    private static JsonNode json(CliRun r) throws IOException {
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }
}
