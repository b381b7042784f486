package dev.fornax.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import dev.fornax.io.JsonFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One safetensors file: an 8-byte little-endian header length N, N bytes of JSON header, then the
 * tensor data. The header is validated as strictly as the reference implementation does (known
 * dtype, byte ranges that match shape × dtype, lie inside the file and tile the data section with
 * no overlap and no gap). Tensor bytes are never read here: {@link #map} memory-maps a range.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Headers larger than this are refused (the reference implementation's limit is 100 MB as well). */
    static final long MAX_HEADER_BYTES = 100L * 1000 * 1000;

    /** A tensor's header entry; {@code begin}/{@code end} are relative to the data section. */
    public record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
        public long byteLength() {
            return end - begin;
        }

        public String shapeString() {
            return Arrays.toString(shape);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new FornaxException(file + ": file not found");
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot open: " + IoErrors.describe(e), e);
        }
        try {
            return parse(file, channel);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafetensorsFile parse(Path file, FileChannel channel) {
        try {
            long size = channel.size();
            if (size < 8) {
                throw new FornaxException(file + ": not a safetensors file (" + size + " bytes, shorter than the 8-byte header length)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > size - 8) {
                throw new FornaxException(file + ": safetensors header length " + Long.toUnsignedString(headerLen)
                        + " is beyond the file size " + size + " (truncated or not a safetensors file)");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw new FornaxException(file + ": safetensors header length " + headerLen + " exceeds the "
                        + MAX_HEADER_BYTES + "-byte limit");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(channel, header, 8);
            // strict UTF-8, the JSON limits of every file, and a tensor named twice is an error (a JSON
            // object with a duplicate key: the reference parser keeps one of them silently)
            JsonFiles.requireUtf8(file + ": safetensors header", header.array(), 0, header.array().length);
            JsonNode root = JsonFiles.parse(header.array(), file + ": safetensors header");
            if (root == null || !root.isObject()) {
                throw new FornaxException(file + ": safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLength = size - dataStart;
            Map<String, String> metadata = new TreeMap<>();
            Map<String, Entry> entries = new TreeMap<>();
            for (Map.Entry<String, JsonNode> field : root.properties()) {
                if (field.getKey().equals("__metadata__")) {
                    readMetadata(file, field.getValue(), metadata);
                } else {
                    entries.put(field.getKey(), readEntry(file, field.getKey(), field.getValue()));
                }
            }
            checkLayout(file, entries.values(), dataLength);
            return new SafetensorsFile(file, channel, dataStart, Collections.unmodifiableMap(entries),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read: " + IoErrors.describe(e), e);
        }
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new FornaxException(file + ": safetensors __metadata__ must be an object of strings");
        }
        node.properties().forEach(f -> {
            if (!f.getValue().isTextual()) {
                throw new FornaxException(file + ": safetensors __metadata__ value '" + f.getKey() + "' is not a string");
            }
            out.put(f.getKey(), f.getValue().asText());
        });
    }

    private static Entry readEntry(Path file, String name, JsonNode node) {
        String where = file + ": tensor '" + JsonFiles.shorten(name, 200) + "'";
        if (!node.isObject()) {
            throw new FornaxException(where + ": header entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new FornaxException(where + ": header entry has no dtype");
        }
        Dtype dtype = Dtype.fromName(dtypeNode.asText());
        if (dtype == null) {
            throw new FornaxException(where + ": unknown dtype '" + JsonFiles.shorten(dtypeNode.asText(), 40) + "'");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new FornaxException(where + ": header entry has no shape array");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new FornaxException(where + ": shape " + JsonFiles.shown(shapeNode) + " is not a list of non-negative integers");
            }
            shape[i] = d.asLong();
            elements = multiply(where, elements, shape[i]);
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new FornaxException(where + ": data_offsets must be [begin, end]");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new FornaxException(where + ": data_offsets [" + begin + ", " + end + "] are not an ascending byte range");
        }
        long needed = multiply(where, elements, dtype.bytes());
        if (end - begin != needed) {
            throw new FornaxException(where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + needed);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long multiply(String where, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new FornaxException(where + ": shape is too large (size overflows 64 bits)");
        }
    }

    /** Tensors must lie inside the data section and tile it exactly, as the reference loader requires. */
    private static void checkLayout(Path file, Iterable<Entry> all, long dataLength) {
        List<Entry> sorted = new ArrayList<>();
        all.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.end() > dataLength) {
                throw new FornaxException(file + ": tensor '" + e.name() + "' data_offsets [" + e.begin() + ", " + e.end()
                        + "] are out of range: the data section has only " + dataLength + " bytes (truncated file?)");
            }
            if (e.begin() < expected) {
                throw new FornaxException(file + ": tensors '" + previous.name() + "' and '" + e.name()
                        + "' overlap (data_offsets " + previous.begin() + ".." + previous.end() + " and "
                        + e.begin() + ".." + e.end() + ")");
            }
            if (e.begin() > expected) {
                throw new FornaxException(file + ": " + (e.begin() - expected) + " unused bytes before tensor '"
                        + e.name() + "' (data_offsets must be contiguous)");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataLength) {
            throw new FornaxException(file + ": " + (dataLength - expected)
                    + " bytes after the last tensor are not described by the header");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    public Path file() {
        return file;
    }

    /** Tensor names, sorted. */
    public Iterable<String> names() {
        return entries.keySet();
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** The entry, or null when the file has no such tensor. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Maps {@code length} bytes starting {@code offset} bytes into the tensor; little-endian order. */
    public ByteBuffer map(Entry e, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > e.byteLength() || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside tensor " + e.name());
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin() + offset, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new FornaxException(file + ": cannot map tensor '" + e.name() + "': " + IoErrors.describe(ex), ex);
        }
    }

    /** A channel for {@link MappedMatrix}; stays owned by this file. */
    FileChannel channel() {
        return channel;
    }

    /** Absolute file position of a tensor's first byte. */
    long position(Entry e) {
        return dataStart + e.begin();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Read-only channel: nothing was written that could be lost.
        }
    }
}
