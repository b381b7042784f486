package dev.fornax.tokenizer;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * llama2.c's tokenizer ({@code tokenizer.bin}, {@code tok512.bin}): int32 max_token_length, then per
 * token {float32 score, int32 length, bytes}, little-endian. The file does not store how many tokens it
 * holds; the checkpoint's vocab_size says so. Encoding and decoding follow {@code run.c}'s
 * {@code encode()} and {@code decode()} exactly (karpathy/llama2.c at 350e04f).
 *
 * <p>Pieces are kept as "byte strings" (ISO-8859-1, one char per byte) so that concatenating and
 * looking them up behaves like run.c's {@code strcmp} on raw bytes, whatever their UTF-8 validity.
 */
public final class Llama2cTokenizer implements Tokenizer {
    /** Fixed by llama2.c's export script: 0 {@code <unk>}, 1 BOS, 2 EOS, then the 256 byte tokens. */
    public static final int UNK = 0;

    public static final int BOS = 1;
    public static final int EOS = 2;
    private static final int BYTE_TOKEN_OFFSET = 3;
    /** run.c starts its best-score search at -1e10: pairs scoring no higher never merge. */
    private static final float MIN_MERGE_SCORE = -1e10f;

    private final Path file;
    private final String[] pieces;
    private final float[] scores;
    private final int maxTokenLength;
    private final Map<String, Integer> idOfPiece; // first id of each piece, as run.c's lookup finds it
    private final int[] scoreRank; // merge priority: rank of the token's score, best first

    private Llama2cTokenizer(Path file, String[] pieces, float[] scores, int maxTokenLength) {
        this.file = file;
        this.pieces = pieces;
        this.scores = scores;
        this.maxTokenLength = maxTokenLength;
        this.idOfPiece = new HashMap<>(pieces.length * 2);
        for (int i = 0; i < pieces.length; i++) {
            idOfPiece.putIfAbsent(pieces[i], i);
        }
        this.scoreRank = rankScores(scores);
    }

    /** Reads exactly {@code vocabSize} tokens, the count given by the model checkpoint. */
    public static Llama2cTokenizer load(Path file, int vocabSize) {
        if (vocabSize <= 0) {
            throw new FornaxException(file + ": vocab_size must be positive, got " + vocabSize);
        }
        return parse(file, vocabSize);
    }

    /** Reads tokens up to the end of the file (for a tokenizer given without its checkpoint). */
    public static Llama2cTokenizer load(Path file) {
        return parse(file, -1);
    }

    private static Llama2cTokenizer parse(Path file, int expected) {
        ByteBuffer in = ByteBuffer.wrap(readAll(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4) {
            throw new FornaxException(file + ": not a llama2.c tokenizer: " + in.remaining()
                    + " bytes, too short for the max_token_length header");
        }
        int maxTokenLength = in.getInt();
        if (maxTokenLength <= 0 || maxTokenLength > 1 << 16) {
            throw new FornaxException(file + ": not a llama2.c tokenizer: max_token_length is "
                    + maxTokenLength + " (expected 1..65536)");
        }
        // every token takes at least 8 bytes: a count the file cannot hold never sizes an allocation
        int capacity = (int) Math.min(expected > 0 ? expected : 1024, in.remaining() / 8 + 1);
        String[] pieces = new String[capacity];
        float[] scores = new float[capacity];
        int count = 0;
        while (expected > 0 ? count < expected : in.hasRemaining()) {
            if (in.remaining() < 8) {
                throw truncated(file, count, expected);
            }
            float score = in.getFloat();
            int length = in.getInt();
            if (length < 0 || length > maxTokenLength) {
                throw new FornaxException(file + ": corrupt llama2.c tokenizer: token " + count + " has length "
                        + length + ", outside 0.." + maxTokenLength + " (max_token_length)");
            }
            if (in.remaining() < length) {
                throw truncated(file, count, expected);
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            if (count == pieces.length) {
                pieces = Arrays.copyOf(pieces, count * 2);
                scores = Arrays.copyOf(scores, count * 2);
            }
            pieces[count] = new String(bytes, StandardCharsets.ISO_8859_1);
            scores[count] = score;
            count++;
        }
        if (in.hasRemaining()) {
            throw new FornaxException(file + ": " + in.remaining() + " bytes left after the " + expected
                    + " tokens the model's vocab_size asks for; is this the model's tokenizer?");
        }
        if (count <= BYTE_TOKEN_OFFSET + 255) {
            throw new FornaxException(file + ": llama2.c tokenizer has " + count
                    + " tokens; it needs at least 259 (<unk>, BOS, EOS and 256 byte tokens)");
        }
        return new Llama2cTokenizer(file, Arrays.copyOf(pieces, count), Arrays.copyOf(scores, count),
                maxTokenLength);
    }

    private static FornaxException truncated(Path file, int count, int expected) {
        String want = expected > 0 ? " of the " + expected + " the model's vocab_size asks for" : "";
        return new FornaxException(file + ": truncated llama2.c tokenizer: the file ends inside token "
                + count + want);
    }

    /** Far above any real vocabulary (a 262k-token file is about 4 MB). */
    static final long MAX_FILE_BYTES = 256L << 20;

    private static byte[] readAll(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new FornaxException(file + ": " + size + " bytes is too large for a llama2.c tokenizer (at most "
                        + MAX_FILE_BYTES + " bytes)");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read tokenizer: " + dev.fornax.io.IoErrors.describe(e), e);
        }
    }

    /**
     * Merge priority of each token: how many distinct scores beat its own (0 = best). -0.0 and 0.0 are
     * one score, as C's {@code >} sees them; NaN never wins a comparison in run.c, so it ranks last.
     */
    private static int[] rankScores(float[] scores) {
        float[] distinct = new float[scores.length];
        int n = 0;
        for (float s : scores) {
            if (!Float.isNaN(s)) {
                distinct[n++] = s == 0f ? 0f : s;
            }
        }
        Arrays.sort(distinct, 0, n);
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (unique == 0 || distinct[i] != distinct[unique - 1]) {
                distinct[unique++] = distinct[i];
            }
        }
        int[] rank = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i] == 0f ? 0f : scores[i];
            rank[i] = Float.isNaN(s) ? Integer.MAX_VALUE : unique - 1 - Arrays.binarySearch(distinct, 0, unique, s);
        }
        return rank;
    }

    @Override
    public int[] encode(String text, boolean addSpecial) {
        IntList tokens = new IntList();
        if (addSpecial) {
            tokens.add(BOS);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            Integer dummyPrefix = idOfPiece.get(" ");
            if (dummyPrefix == null) {
                throw new FornaxException(file + ": the tokenizer has no \" \" token, which llama2.c's encoder"
                        + " prepends to the text");
            }
            tokens.add(dummyPrefix);
        }
        // One UTF-8 code point (at most 4 bytes) at a time, as run.c reads it.
        byte[] codePoint = new byte[4];
        int length = 0;
        for (int i = 0; i < bytes.length; i++) {
            if ((bytes[i] & 0xC0) != 0x80) {
                length = 0;
            }
            codePoint[length++] = bytes[i];
            boolean continuationFollows = i + 1 < bytes.length && (bytes[i + 1] & 0xC0) == 0x80;
            if (continuationFollows && length < 4) {
                continue;
            }
            Integer id = idOfPiece.get(new String(codePoint, 0, length, StandardCharsets.ISO_8859_1));
            if (id != null) {
                tokens.add(id);
            } else {
                for (int j = 0; j < length; j++) {
                    tokens.add((codePoint[j] & 0xFF) + BYTE_TOKEN_OFFSET);
                }
            }
            length = 0;
        }
        return PairMerger.merge(tokens.toArray(), tokens.size(), this::findMerge);
    }

    /** The token run.c would merge {@code left right} into, with its score as priority. */
    private long findMerge(int left, int right) {
        Integer id = idOfPiece.get(pieces[left] + pieces[right]);
        if (id == null || !(scores[id] > MIN_MERGE_SCORE)) {
            return PairMerger.Rule.NONE;
        }
        return PairMerger.Rule.pack(scoreRank[id], id);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StreamDecoder stream = streamDecoder(skipSpecialTokens);
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(stream.next(id));
        }
        return out.append(stream.finish()).toString();
    }

    @Override
    public StreamDecoder streamDecoder(boolean skipSpecialTokens) {
        return new StreamDecoder() {
            private final Utf8Decoder utf8 = new Utf8Decoder();
            private int previous = -1;

            @Override
            public String next(int id) {
                checkId(id);
                int prev = previous;
                previous = id;
                if (skipSpecialTokens && id <= EOS) {
                    return "";
                }
                StringBuilder out = new StringBuilder();
                String piece = piece(prev, id);
                for (int i = 0; i < piece.length(); i++) {
                    utf8.write(piece.charAt(i), out);
                }
                return out.toString();
            }

            @Override
            public String finish() {
                StringBuilder out = new StringBuilder();
                utf8.finish(out);
                return out.toString();
            }
        };
    }

    /** run.c's {@code decode(prev_token, token)}, as a byte string. */
    private String piece(int previous, int id) {
        String piece = pieces[id];
        // After BOS, SentencePiece drops the leading space of the first word.
        if (previous == BOS && piece.startsWith(" ")) {
            piece = piece.substring(1);
        }
        int rawByte = rawByte(piece);
        return rawByte >= 0 ? String.valueOf((char) rawByte) : piece;
    }

    /** The byte of a {@code <0xNN>} piece (run.c: {@code sscanf(piece, "<0x%02hhX>")}), else -1. */
    private static int rawByte(String piece) {
        if (!piece.startsWith("<0x")) {
            return -1;
        }
        int value = -1;
        for (int i = 3; i < Math.min(piece.length(), 5); i++) {
            int digit = Character.digit(piece.charAt(i), 16);
            if (digit < 0) {
                break;
            }
            value = (value < 0 ? 0 : value * 16) + digit;
        }
        return value;
    }

    private void checkId(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new FornaxException("token id " + id + " is outside the vocabulary of " + file + " (0.."
                    + (pieces.length - 1) + ")");
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    /** The longest piece in bytes, as the file's header states it. */
    public int maxTokenLength() {
        return maxTokenLength;
    }

    public float score(int id) {
        checkId(id);
        return scores[id];
    }
}
