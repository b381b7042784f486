package dev.fornax.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fornax.FornaxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reading JSON files safely, for every JSON fornax reads (config.json, generation_config.json,
 * the shard index, tokenizer.json, tokenizer_config.json, safetensors headers, manifest.json).
 *
 * <p>The bytes must be UTF-8 (a leading byte-order mark is skipped); one value, nothing after it;
 * no key twice in an object (Python's json keeps the last, serde the first or an error: either way
 * the file is ambiguous); and within limits that no real file comes near but that stop a hostile
 * one before it costs minutes or gigabytes: {@value #MAX_DEPTH} levels of nesting, strings of
 * {@value #MAX_STRING_CHARS} characters, keys of {@value #MAX_NAME_CHARS}, numbers of
 * {@value #MAX_NUMBER_CHARS} digits, files of {@value #MAX_FILE_BYTES} bytes. Every error names the
 * file and says what is wrong.
 */
public final class JsonFiles {
    public static final int MAX_DEPTH = 100;
    public static final int MAX_STRING_CHARS = 8 << 20;
    public static final int MAX_NAME_CHARS = 64 << 10;
    public static final int MAX_NUMBER_CHARS = 100;
    public static final long MAX_FILE_BYTES = 512L << 20;

    /** The parser factory with fornax's limits; field names are not interned (vocabularies are keys). */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(MAX_NAME_CHARS)
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    /** Trees from {@link #FACTORY}; a second value after the first is an error. */
    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** For reading values inside a streaming parse (no end-of-document check after each value). */
    public static final ObjectMapper VALUES = new ObjectMapper(FACTORY);

    private JsonFiles() {}

    /** The file's bytes, checked to be UTF-8 and within the size limit (a BOM removed). */
    public static byte[] readUtf8(Path file) {
        byte[] bytes;
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size > MAX_FILE_BYTES) {
                throw new FornaxException(file + ": " + size + " bytes is larger than any JSON file fornax reads may be ("
                        + MAX_FILE_BYTES + " bytes)");
            }
            try (InputStream in = Channels.newInputStream(ch)) {
                bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new FornaxException(file + ": file not found");
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read: " + IoErrors.describe(e), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new FornaxException(file + ": larger than any JSON file fornax reads may be (" + MAX_FILE_BYTES + " bytes)");
        }
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        requireUtf8(file.toString(), bytes, start, bytes.length - start);
        return start == 0 ? bytes : Arrays.copyOfRange(bytes, start, bytes.length);
    }

    /** Fails with "WHERE: not valid UTF-8 (byte 0xE9 at offset N)" unless the range decodes strictly. */
    public static void requireUtf8(String where, byte[] bytes, int offset, int length) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                int at = in.position();
                throw new FornaxException(where + ": not valid UTF-8 (byte 0x"
                        + String.format("%02X", bytes[at] & 0xFF) + " at offset " + (at - offset)
                        + "); JSON files must be UTF-8 (was it saved as Latin-1?)");
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        out.clear();
        CoderResult r = d.flush(out);
        if (r.isError()) {
            throw new FornaxException(where + ": not valid UTF-8 (truncated character at the end)");
        }
    }

    /** The file as one JSON value (null for an empty file). */
    public static JsonNode read(Path file) {
        return parse(readUtf8(file), file.toString());
    }

    /** The file as a JSON object, else "FILE: not a JSON object". */
    public static JsonNode readObject(Path file) {
        JsonNode n = read(file);
        if (n == null || !n.isObject()) {
            throw new FornaxException(file + ": not a JSON object");
        }
        return n;
    }

    /** {@code bytes} (UTF-8, already checked) as one JSON value; errors start with {@code where}. */
    public static JsonNode parse(byte[] bytes, String where) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw error(where, e);
        } catch (IOException e) {
            throw new FornaxException(where + ": cannot read: " + IoErrors.describe(e), e);
        }
    }

    /** A streaming parser over UTF-8 bytes with the same limits. */
    public static JsonParser parser(byte[] bytes) throws IOException {
        return FACTORY.createParser(bytes);
    }

    /** A parse error as one line: what Jackson found, where, and never a null location. */
    public static FornaxException error(String where, JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        m = m.replace('\n', ' ').replaceAll(",? from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`", "");
        String prefix = e instanceof StreamConstraintsException ? "exceeds a JSON limit: " : "invalid JSON: ";
        if (m.startsWith("Duplicate field")) {
            prefix = "invalid JSON: ";
            m = m.replace("Duplicate field", "duplicate key");
        }
        JsonLocation at = e.getLocation();
        String location = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new FornaxException(where + ": " + prefix + shorten(m, 300) + location, e);
    }

    /** A JSON value as it may appear in a one-line message: at most 80 characters. */
    public static String shown(JsonNode n) {
        return shorten(String.valueOf(n), 80);
    }

    /** {@code s} cut to {@code max} characters with an ellipsis saying how long it was. */
    public static String shorten(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, max) + "… (" + s.length() + " characters)";
    }
}
