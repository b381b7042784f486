package dev.fornax.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fornax.tokenizer.Llama2cTokenizer;
import java.nio.file.Path;

/** A llama2.c tokenizer .bin, read to its end, and for the vocab_size of stories260K (512) and of 300. */
class Llama2cTokenizerFuzzTest {
    @FuzzTest(maxDuration = "8s")
    void tokenizer(byte[] bytes) throws Exception {
        Path dir = FuzzProperty.freshDirectory();
        Path file = FuzzProperty.write(dir.resolve("tok.bin"), bytes);
        FuzzProperty.check(file, () -> TokenizerJsonFuzzTest.exercise(Llama2cTokenizer.load(file)));
        FuzzProperty.check(file, () -> TokenizerJsonFuzzTest.exercise(Llama2cTokenizer.load(file, 512)));
        FuzzProperty.check(file, () -> TokenizerJsonFuzzTest.exercise(Llama2cTokenizer.load(file, 300)));
    }
}
