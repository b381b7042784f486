package dev.fornax.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.testing.Shared;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * ../shared/models/stories260K-hf holds the stories260K weights in HF layout with a tokenizer.json rebuilt
 * from tok512.bin: both tokenizers must give the ids llama2.c's run.c gives.
 */
class Stories260kParityTest {
    @Test
    void hfTokenizerJsonEncodesLikeTok512() {
        Path hfDir = Shared.require("models/stories260K-hf");
        Tokenizer hf = Tokenizers.findNextTo(hfDir);
        Tokenizer llama2c = Tokenizers.findNextTo(Path.of("models/stories260K/stories260K.bin"));
        assertThat(hf).isNotNull();
        assertThat(llama2c).isInstanceOf(Llama2cTokenizer.class);

        assertThat(hf.encode("Once upon a time", true)).containsExactly(1, 403, 407, 261, 378);
        assertThat(llama2c.encode("Once upon a time", true)).containsExactly(1, 403, 407, 261, 378);
        for (String text : Llama2cTokenizerTest.TEXTS) {
            if (text.contains("<s>")) {
                continue; // HF recognises a typed <s> as the BOS token; run.c has no special tokens
            }
            assertThat(hf.encode(text, true)).as(text).containsExactly(llama2c.encode(text, true));
        }
        assertThat(hf.vocabSize()).isEqualTo(llama2c.vocabSize()).isEqualTo(512);
    }
}
