package dev.fornax.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cTokenizerTest {
    /** The tokenizer bundled with the repo (models/stories260K, see its SOURCE.txt). */
    static final Path TOK512 = Path.of("models/stories260K/tok512.bin");

    static final List<String> TEXTS = List.of(
            "Once upon a time",
            "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.",
            "",
            " ",
            "   leading and trailing   ",
            "Tom said, \"Don't go!\"\nThen he ran.\n\n",
            "Café crème brûlée, Łódź, 你好，世界！ 日本語のテキスト",
            "Emoji 🍕👨‍👩‍👧‍👦 and flags 🇺🇸 and 𓀀",
            "tab\there\r\nwindows",
            "1234567890 3.14159 -0.001",
            "<s> and </s> are not special in run.c");

    @Test
    void encodesOnceUponATimeAsRunCDoes() {
        // Prompt ids printed by llama2.c run.c for -i "Once upon a time" (FIELD-NOTES §1, issue 2)
        Tokenizer tok = Llama2cTokenizer.load(TOK512, 512);
        assertThat(tok.encode("Once upon a time", true)).containsExactly(1, 403, 407, 261, 378);
        assertThat(tok.encode("Once upon a time", false)).containsExactly(403, 407, 261, 378);
        assertThat(tok.vocabSize()).isEqualTo(512);
    }

    @Test
    void encodingEqualsALiteralPortOfRunC() throws IOException {
        Llama2cTokenizer tok = Llama2cTokenizer.load(TOK512, 512);
        RunCReference reference = new RunCReference(TOK512, 512);
        for (String text : TEXTS) {
            assertThat(tok.encode(text, true)).as(text).containsExactly(reference.encode(text, true));
            assertThat(tok.encode(text, false)).as(text).containsExactly(reference.encode(text, false));
        }
        Random random = new Random(42);
        String alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFG.,!?'\"\n\téüß你好🍕";
        for (int n = 0; n < 300; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(60);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            assertThat(tok.encode(text.toString(), true)).as(text.toString())
                    .containsExactly(reference.encode(text.toString(), true));
        }
    }

    @Test
    void unknownCharactersFallBackToByteTokens() {
        Tokenizer tok = Llama2cTokenizer.load(TOK512, 512);
        // '你' is not in the 512-token vocabulary: after the dummy-prefix " " come its UTF-8 bytes E4 BD A0
        // as ids byte+3
        int[] ids = tok.encode("你", false);
        assertThat(ids).containsExactly(ids[0], 0xE4 + 3, 0xBD + 3, 0xA0 + 3);
        assertThat(tok.decode(new int[] {ids[0]})).isEqualTo(" ");
    }

    @Test
    void decodeFollowsRunC() {
        Tokenizer tok = Llama2cTokenizer.load(TOK512, 512);
        // run.c: the piece after BOS loses its leading space; BOS itself is the piece "\n<s>\n"
        assertThat(tok.decode(new int[] {1, 403, 407, 261, 378})).isEqualTo("\n<s>\nOnce upon a time");
        assertThat(tok.decode(new int[] {1, 403, 407, 261, 378}, true)).isEqualTo("Once upon a time");
        assertThat(tok.decode(new int[] {403, 407})).isEqualTo(" Once upon");
        // <0xNN> pieces are raw bytes
        assertThat(tok.decode(new int[] {0xE4 + 3, 0xBD + 3, 0xA0 + 3})).isEqualTo("你");
        for (String text : TEXTS) {
            if (!text.isEmpty() && !text.startsWith(" ")) {
                assertThat(tok.decode(tok.encode(text, true), true)).isEqualTo(text);
            }
        }
    }

    @Test
    void streamingNeverSplitsACharacter() {
        Tokenizer tok = Llama2cTokenizer.load(TOK512, 512);
        int[] ids = tok.encode("pizza 🍕 and 你好", true);
        Tokenizer.StreamDecoder stream = tok.streamDecoder(true);
        StringBuilder all = new StringBuilder();
        for (int id : ids) {
            String piece = stream.next(id);
            assertThat(piece).doesNotContain("\uFFFD");
            assertThat(piece.codePoints().noneMatch(cp -> Character.isSurrogate((char) cp))).isTrue();
            all.append(piece);
            if (id == 0xF0 + 3 || id == 0x9F + 3) {
                assertThat(piece).isEmpty(); // the first bytes of the emoji are held back
            }
        }
        all.append(stream.finish());
        assertThat(all.toString()).isEqualTo("pizza 🍕 and 你好").isEqualTo(tok.decode(ids, true));
    }

    @Test
    void incompleteUtf8AtTheEndBecomesOneReplacementCharacter() {
        Tokenizer tok = Llama2cTokenizer.load(TOK512, 512);
        assertThat(tok.decode(new int[] {0xF0 + 3, 0x9F + 3})).isEqualTo("\uFFFD");
        assertThat(tok.decode(new int[] {0xFF + 3, 'a' + 3})).isEqualTo("\uFFFDa");
    }

    @Test
    void idsOutsideTheVocabularyAreErrors() {
        Tokenizer tok = Llama2cTokenizer.load(TOK512, 512);
        assertThatThrownBy(() -> tok.decode(new int[] {512})).isInstanceOf(FornaxException.class)
                .hasMessageContaining("512").hasMessageContaining("tok512.bin");
        assertThatThrownBy(() -> tok.decode(new int[] {-1})).isInstanceOf(FornaxException.class);
    }

    @Test
    void vocabSizeComesFromTheCheckpointAndTruncationIsAnError(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Llama2cTokenizer.load(TOK512, 513)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("truncated").hasMessageContaining("token 512").hasMessageContaining("513");
        assertThatThrownBy(() -> Llama2cTokenizer.load(TOK512, 500)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("bytes left after the 500 tokens");
        byte[] bytes = Files.readAllBytes(TOK512);
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> Llama2cTokenizer.load(cut, 512)).isInstanceOf(FornaxException.class)
                .hasMessageContaining(cut.toString()).hasMessageContaining("truncated")
                .hasMessageContaining("token 511");
        assertThatThrownBy(() -> Llama2cTokenizer.load(cut)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("truncated");
        assertThat(Llama2cTokenizer.load(TOK512).vocabSize()).isEqualTo(512);
    }

    @Test
    void corruptLengthsAreErrors(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(TOK512);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 4, 1000); // token 0's length
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, bytes);
        assertThatThrownBy(() -> Llama2cTokenizer.load(bad, 512)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("token 0 has length 1000").hasMessageContaining("max_token_length");
        Path empty = dir.resolve("empty.bin");
        Files.write(empty, new byte[2]);
        assertThatThrownBy(() -> Llama2cTokenizer.load(empty)).isInstanceOf(FornaxException.class)
                .hasMessageContaining("too short");
    }
}
