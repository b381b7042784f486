package dev.fornax.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fornax.model.LoadedModel;
import dev.fornax.model.ModelLoader;
import dev.fornax.quant.QuantizedModel;
import dev.fornax.quant.QuantizedModelStream;
import dev.fornax.quant.Quantizer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pins the integers of the bundled stories260K: the quantised model and the Q16 logits of the
 * float greedy "Once upon a time" sequence (llama2c-runc/seq1, first 64 ids). The RTL is compared
 * with these same integers, so any change here must come with a reviewed NUMERICS change (update
 * the digests in the same commit, with the reason).
 */
class StoriesDigestTest {
    static final String MODEL_SHA256 = "01a57a4044935b4a92988437246b8656dfcd9da39359ed194f6d593b64426d0f";
    static final String LOGITS_SHA256 = "96a56ee864e0ea9e757a59510f577dfd2c37967f4f4c78a91ba1c2b3a28a0c35";

    @Test
    void quantisedModelAndLogitsAreThePinnedIntegers() throws Exception {
        int[] ids = java.util.Arrays.copyOf(
                QualityFixtures.readIds(QualityFixtures.RUNC.resolve("seq1.ids.txt")), 64);
        try (LoadedModel model = ModelLoader.load(QualityFixtures.STORIES, null)) {
            QuantizedModel q = Quantizer.quantize(model.weights());
            String modelDigest = QuantizedModelStream.sha256(q);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (Int8Engine e = new Int8Engine(q, 2)) {
                for (int t : ids) {
                    for (int v : e.stepRaw(t)) {
                        md.update(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
                    }
                }
            }
            String logitsDigest = HexFormat.of().formatHex(md.digest());
            System.out.println("stories260K quantised model sha256 " + modelDigest + ", logits sha256 " + logitsDigest);
            assertThat(modelDigest).isEqualTo(MODEL_SHA256);
            assertThat(logitsDigest).isEqualTo(LOGITS_SHA256);
        }
    }
}
