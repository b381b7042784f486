package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are FIFOs, broken links or link loops, where a model, a model's file, a tokenizer or
 * a text file is expected: one line saying what the node is, never a read that blocks on the FIFO
 * (`inspect FIFO` used to hang until killed), never "no such file" for a node that is there, and an
 * optional file (generation_config.json, tokenizer_config.json) that is a FIFO is refused, not
 * silently skipped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpecialInputFileTest {
    private static final String STORIES = "models/stories260K/stories260K.bin";

    @TempDir
    static Path tmp;
    static Path model;

    @BeforeAll
    static void tinyModel() {
        model = tmp.resolve("m");
        assertThat(CliRun.of("tiny", "--arch", "llama", "-o", model.toString()).exit()).isZero();
    }

    private static Path fifo(Path p) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor()).isZero();
        return p;
    }

    /** A copy of the tiny model with FILE replaced by (or added as) a FIFO. */
    private static Path withFifo(String name, String file) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(model.resolve(f), dir.resolve(f));
        }
        Files.deleteIfExists(dir.resolve(file));
        fifo(dir.resolve(file));
        return dir;
    }

    private static void refused(CliRun r, String expected) {
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("fornax: " + expected + "\n");
    }

    @Test
    void aFifoAsTheModelIsRefusedWithoutBeingOpened() throws Exception {
        Path p = fifo(tmp.resolve("model.fifo"));
        refused(CliRun.of("inspect", p.toString()), p + " is a FIFO (named pipe), not a regular file");
        Path g = fifo(tmp.resolve("x.gguf"));
        refused(CliRun.of("inspect", g.toString()), g + " is a FIFO (named pipe), not a regular file");
    }

    @Test
    void aFifoInsideAnHfDirectoryIsNamedNotCalledMissing() throws Exception {
        Path c = withFifo("cfg", "config.json");
        refused(CliRun.of("inspect", c.toString()), c.resolve("config.json") + " is a FIFO (named pipe), not a regular file");
        Path s = withFifo("st", "model.safetensors");
        refused(CliRun.of("inspect", s.toString()), s.resolve("model.safetensors")
                + " is a FIFO (named pipe), not a regular file");
    }

    @Test
    void anOptionalFileThatIsAFifoIsRefusedNotSkipped() throws Exception {
        Path g = withFifo("gen", "generation_config.json");
        refused(CliRun.of("inspect", g.toString()), g.resolve("generation_config.json")
                + " is a FIFO (named pipe), not a regular file");
        Path t = withFifo("tok", "tokenizer.json");
        refused(CliRun.of("tokenize", t.toString(), "--text", "ab"), t.resolve("tokenizer.json")
                + " is a FIFO (named pipe), not a regular file");
    }

    @Test
    void aFifoAsTextOrTokenizerIsRefused() throws Exception {
        Path f = fifo(tmp.resolve("text.fifo"));
        refused(CliRun.of("eval", STORIES, "--text", f.toString()), "--text " + f + " is a FIFO (named pipe), not a regular file");
        refused(CliRun.of("generate", model.toString(), "--tokenizer", f.toString(), "--prompt", "ab", "-n", "1"),
                f + " is a FIFO (named pipe), not a regular file");
    }

    @Test
    void brokenLinksAndLinkLoopsSayWhatTheyAre() throws Exception {
        Path broken = Files.createSymbolicLink(tmp.resolve("broken"), tmp.resolve("nowhere"));
        refused(CliRun.of("inspect", broken.toString()), broken + " is a broken symbolic link (to " + tmp.resolve("nowhere")
                + ", which does not exist)");
        Path a = tmp.resolve("loop-a");
        Files.createSymbolicLink(a, tmp.resolve("loop-b"));
        Files.createSymbolicLink(tmp.resolve("loop-b"), a);
        refused(CliRun.of("inspect", a.toString()), a + " is a symbolic link loop");
    }
}
