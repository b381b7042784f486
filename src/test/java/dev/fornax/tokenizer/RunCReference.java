package dev.fornax.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A line-by-line port of llama2.c run.c's {@code build_tokenizer} and {@code encode} (karpathy/llama2.c
 * 350e04f), kept naive on purpose: the sorted vocabulary with binary search, and the O(n²) loop that rescans
 * every pair for the best score. It is the reference {@link Llama2cTokenizer} is compared against.
 */
final class RunCReference {
    private final byte[][] vocab;
    private final float[] scores;
    private final Integer[] sorted; // ids sorted by strcmp of their bytes

    RunCReference(Path file, int vocabSize) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        in.getInt(); // max_token_length
        vocab = new byte[vocabSize][];
        scores = new float[vocabSize];
        for (int i = 0; i < vocabSize; i++) {
            scores[i] = in.getFloat();
            vocab[i] = new byte[in.getInt()];
            in.get(vocab[i]);
        }
        sorted = new Integer[vocabSize];
        for (int i = 0; i < vocabSize; i++) {
            sorted[i] = i;
        }
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(vocab[a], vocab[b]));
    }

    private int strLookup(byte[] str) {
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(vocab[sorted[mid]], str);
            if (c == 0) {
                return sorted[mid];
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    int[] encode(String textString, boolean bos) {
        byte[] text = textString.getBytes(StandardCharsets.UTF_8);
        List<Integer> tokens = new ArrayList<>();
        if (bos) {
            tokens.add(1);
        }
        if (text.length > 0) {
            tokens.add(strLookup(new byte[] {' '}));
        }
        byte[] buffer = new byte[4];
        int len = 0;
        for (int c = 0; c < text.length; c++) {
            if ((text[c] & 0xC0) != 0x80) {
                len = 0;
            }
            buffer[len++] = text[c];
            byte next = c + 1 < text.length ? text[c + 1] : 0;
            if ((next & 0xC0) == 0x80 && len < 4) {
                continue;
            }
            int id = strLookup(Arrays.copyOf(buffer, len));
            if (id != -1) {
                tokens.add(id);
            } else {
                for (int i = 0; i < len; i++) {
                    tokens.add((buffer[i] & 0xFF) + 3);
                }
            }
            len = 0;
        }
        while (true) {
            float bestScore = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = 0; i < tokens.size() - 1; i++) {
                byte[] a = vocab[tokens.get(i)];
                byte[] b = vocab[tokens.get(i + 1)];
                byte[] merged = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, merged, a.length, b.length);
                int id = strLookup(merged);
                if (id != -1 && scores[id] > bestScore) {
                    bestScore = scores[id];
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) {
                break;
            }
            tokens.set(bestIdx, bestId);
            tokens.remove(bestIdx + 1);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }
}
