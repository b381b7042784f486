package dev.fornax.gguf;

import dev.fornax.FornaxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One GGUF file (the llama.cpp / ggml model format, versions 2 and 3, little-endian):
 * <pre>
 *   "GGUF" u32 version, u64 n_tensors, u64 n_kv
 *   n_kv × { string key, u32 type, value }          (string = u64 length + UTF-8 bytes)
 *   n_tensors × { string name, u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset }
 *   padding to general.alignment (default 32), then the tensor data
 * </pre>
 * The header is validated as strictly as ggml's own reader ({@code gguf_init_from_file_impl}):
 * unique keys and tensor names, known value and tensor types, rows a whole number of blocks, each
 * tensor at the offset the previous ones imply (padded to the alignment) and inside the file. Every
 * length, count and offset is checked with exact 64-bit arithmetic before it is used, so a hostile
 * file gives a {@link FornaxException} naming the file and the problem, never an allocation or a
 * read beyond the file. Tensor bytes are never read here: {@link #map} memory-maps a range.
 *
 * <p>{@link #read(Path)} is the whole parser (the entry point for fuzzing).
 */
public final class GgufFile implements AutoCloseable {
    public static final int DEFAULT_ALIGNMENT = 32;
    /** ggml's GGML_MAX_NAME: names must be shorter than this (in bytes). */
    static final int MAX_NAME_BYTES = 64;
    /** ggml's GGML_MAX_DIMS. */
    static final int MAX_DIMS = 4;
    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32

    /**
     * A tensor's header entry.
     *
     * @param dims   ggml's ne[]: dims[0] is the row length (innermost), dims[1] the number of rows
     * @param offset relative to the start of the data section
     */
    public record TensorInfo(String name, long[] dims, GgmlType type, long offset, long byteSize) {
        public long elements() {
            long n = 1;
            for (long d : dims) {
                n *= d; // no overflow: checked when the header was read
            }
            return n;
        }

        /** The shape as HF/numpy writes it (outermost first), e.g. [448, 96] for a 448-row matrix. */
        public String shapeString() {
            long[] reversed = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                reversed[i] = dims[dims.length - 1 - i];
            }
            return Arrays.toString(reversed);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final int version;
    private final long alignment;
    private final long dataStart;
    private final Map<String, GgufValue> metadata;
    private final Map<String, TensorInfo> tensors;

    private GgufFile(Path file, FileChannel channel, int version, long alignment, long dataStart,
            Map<String, GgufValue> metadata, Map<String, TensorInfo> tensors) {
        this.file = file;
        this.channel = channel;
        this.version = version;
        this.alignment = alignment;
        this.dataStart = dataStart;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** True when the file starts with the GGUF magic. */
    public static boolean hasMagic(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    return false;
                }
            }
            return b.getInt(0) == MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens and validates a GGUF file; the caller closes it. */
    public static GgufFile read(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new FornaxException(file + ": file not found");
        } catch (AccessDeniedException e) {
            throw new FornaxException(file + ": permission denied");
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot open: " + e.getMessage(), e);
        }
        try {
            return parse(file, channel);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static GgufFile parse(Path file, FileChannel channel) {
        long size;
        ByteBuffer header;
        try {
            size = channel.size();
            // The header is read through one mapping; headers beyond 2 GiB are refused below.
            header = channel.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE))
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot read: " + e.getMessage(), e);
        }
        Cursor in = new Cursor(file, header, size);
        if (size < 4 || header.getInt(0) != MAGIC) {
            throw new FornaxException(file + ": not a GGUF file (it does not start with \"GGUF\")");
        }
        in.pos = 4;
        int version = in.u32("the version");
        if (version == 1) {
            throw new FornaxException(file + ": GGUF version 1 is not supported (only versions 2 and 3)");
        }
        if (version != 2 && version != 3) {
            String hint = Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3
                    ? " (a big-endian GGUF file; only little-endian files are supported)" : "";
            throw new FornaxException(file + ": GGUF version " + Integer.toUnsignedString(version)
                    + " is not supported (only versions 2 and 3)" + hint);
        }
        long tensorCount = in.count("the tensor count", 8 + 4 + 8 + 4 + 8); // smallest tensor info: 1-byte name, 0 dims
        long kvCount = in.count("the metadata count", 8 + 4 + 1);

        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key " + i);
            if (metadata.containsKey(key)) {
                throw new FornaxException(file + ": metadata key '" + key + "' appears twice");
            }
            int typeId = in.u32("the type of metadata '" + key + "'");
            metadata.put(key, in.value(key, typeId));
        }
        long alignment = alignment(file, metadata.get(GgufMetadata.ALIGNMENT));

        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        long expectedOffset = 0;
        for (long i = 0; i < tensorCount; i++) {
            TensorInfo t = in.tensorInfo(i, tensors);
            if (t.offset() != expectedOffset) {
                throw new FornaxException(file + ": tensor '" + t.name() + "' has data offset " + Long.toUnsignedString(t.offset())
                        + ", expected " + expectedOffset + " (tensors must follow each other, each padded to "
                        + alignment + " bytes)");
            }
            expectedOffset = padTo(file, expectedOffset + t.byteSize(), alignment);
            tensors.put(t.name(), t);
        }
        long dataStart = padTo(file, in.pos, alignment);
        for (TensorInfo t : tensors.values()) {
            long end = dataStart + t.offset() + t.byteSize(); // all three ≤ 2^62: checked on the way
            if (end > size) {
                throw new FornaxException(file + ": tensor '" + t.name() + "' (" + t.byteSize() + " bytes at data offset "
                        + t.offset() + ") extends beyond the end of the file (" + size + " bytes; truncated?)");
            }
        }
        return new GgufFile(file, channel, version, alignment, dataStart, metadata, tensors);
    }

    private static long alignment(Path file, GgufValue value) {
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (value.type() != GgufValue.Type.UINT32) {
            throw new FornaxException(file + ": metadata '" + GgufMetadata.ALIGNMENT + "' must be a uint32, got "
                    + value.typeName());
        }
        long a = (Long) value.value();
        if (a == 0 || (a & (a - 1)) != 0) {
            throw new FornaxException(file + ": metadata '" + GgufMetadata.ALIGNMENT + "' is " + a
                    + ", not a power of two");
        }
        return a;
    }

    private static long padTo(Path file, long position, long alignment) {
        long padded = (position + alignment - 1) & -alignment;
        if (padded < position) {
            throw new FornaxException(file + ": data offsets overflow 64 bits");
        }
        return padded;
    }

    /** Reads the header with every length checked against what is left of the file. */
    private static final class Cursor {
        private final Path file;
        private final ByteBuffer buf;
        private final long fileSize;
        long pos;

        Cursor(Path file, ByteBuffer buf, long fileSize) {
            this.file = file;
            this.buf = buf;
            this.fileSize = fileSize;
        }

        private long remaining() {
            return buf.limit() - pos;
        }

        private void need(long bytes, String what) {
            if (bytes < 0 || bytes > remaining()) {
                if (buf.limit() < fileSize) {
                    throw new FornaxException(file + ": GGUF header larger than 2 GiB (reading " + what + ")");
                }
                throw new FornaxException(file + ": truncated GGUF header: the file ends inside " + what);
            }
        }

        int u8(String what) {
            need(1, what);
            return buf.get((int) pos++) & 0xFF;
        }

        int u16(String what) {
            need(2, what);
            int v = buf.getShort((int) pos) & 0xFFFF;
            pos += 2;
            return v;
        }

        int u32(String what) {
            need(4, what);
            int v = buf.getInt((int) pos);
            pos += 4;
            return v;
        }

        long u64(String what) {
            need(8, what);
            long v = buf.getLong((int) pos);
            pos += 8;
            return v;
        }

        /** A u64 count of items of at least {@code minBytes} each: it must fit in the rest of the file. */
        long count(String what, int minBytes) {
            long n = u64(what);
            if (n < 0 || n > remaining() / minBytes) {
                throw new FornaxException(file + ": " + what + " " + Long.toUnsignedString(n)
                        + " cannot fit in the rest of the file (" + remaining() + " bytes; corrupt or truncated)");
            }
            return n;
        }

        String string(String what) {
            long length = u64("the length of " + what);
            if (length < 0 || length > remaining()) {
                throw new FornaxException(file + ": the length " + Long.toUnsignedString(length) + " of " + what
                        + " runs past the end of the file (corrupt or truncated)");
            }
            byte[] bytes = new byte[(int) length];
            buf.get((int) pos, bytes);
            pos += length;
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new FornaxException(file + ": " + what + " is not valid UTF-8");
            }
        }

        GgufValue value(String key, int typeId) {
            GgufValue.Type type = GgufValue.Type.fromId(typeId);
            if (type == null) {
                throw new FornaxException(file + ": metadata '" + key + "' has unknown value type " + Integer.toUnsignedString(typeId));
            }
            String what = "metadata '" + key + "'";
            if (type != GgufValue.Type.ARRAY) {
                return new GgufValue(type, null, scalar(type, what));
            }
            int elementId = u32("the element type of " + what);
            GgufValue.Type element = GgufValue.Type.fromId(elementId);
            if (element == null || element == GgufValue.Type.ARRAY) {
                throw new FornaxException(file + ": " + what + " is an array of "
                        + (element == null ? "unknown type " + Integer.toUnsignedString(elementId) : "arrays")
                        + ", which is not supported");
            }
            long n = count("the length of " + what, element.minBytes());
            if (n > Integer.MAX_VALUE - 8) {
                throw new FornaxException(file + ": " + what + " has " + n + " elements, more than supported");
            }
            int len = (int) n;
            Object array;
            if (element.isInteger()) {
                long[] a = new long[len];
                for (int i = 0; i < len; i++) {
                    a[i] = integer(element, what);
                }
                array = a;
            } else if (element == GgufValue.Type.FLOAT32) {
                float[] a = new float[len];
                buf.slice((int) pos, 4 * len).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
                pos += 4L * len;
                array = a;
            } else if (element == GgufValue.Type.FLOAT64) {
                double[] a = new double[len];
                buf.slice((int) pos, 8 * len).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(a);
                pos += 8L * len;
                array = a;
            } else if (element == GgufValue.Type.BOOL) {
                boolean[] a = new boolean[len];
                for (int i = 0; i < len; i++) {
                    a[i] = u8(what) != 0;
                }
                array = a;
            } else {
                String[] a = new String[len];
                for (int i = 0; i < len; i++) {
                    a[i] = string("element " + i + " of " + what);
                }
                array = a;
            }
            return new GgufValue(type, element, array);
        }

        private Object scalar(GgufValue.Type type, String what) {
            return switch (type) {
                case FLOAT32 -> {
                    int bits = u32(what);
                    yield Float.intBitsToFloat(bits);
                }
                case FLOAT64 -> Double.longBitsToDouble(u64(what));
                case BOOL -> u8(what) != 0; // as ggml: any non-zero byte is true
                case STRING -> string(what);
                default -> integer(type, what);
            };
        }

        private long integer(GgufValue.Type type, String what) {
            return switch (type) {
                case UINT8 -> u8(what);
                case INT8 -> (long) (byte) u8(what);
                case UINT16 -> u16(what);
                case INT16 -> (long) (short) u16(what);
                case UINT32 -> Integer.toUnsignedLong(u32(what));
                case INT32 -> (long) u32(what);
                case UINT64, INT64 -> u64(what);
                default -> throw new IllegalStateException(type.name());
            };
        }

        TensorInfo tensorInfo(long index, Map<String, TensorInfo> previous) {
            String name = string("the name of tensor " + index);
            String where = file + ": tensor '" + name + "'";
            if (name.getBytes(StandardCharsets.UTF_8).length >= MAX_NAME_BYTES) {
                throw new FornaxException(where + ": the name is longer than " + (MAX_NAME_BYTES - 1) + " bytes");
            }
            if (previous.containsKey(name)) {
                throw new FornaxException(where + " appears twice");
            }
            int nDims = u32("the dimension count of tensor '" + name + "'");
            if (nDims < 0 || nDims > MAX_DIMS) {
                throw new FornaxException(where + " has " + Integer.toUnsignedString(nDims) + " dimensions (at most "
                        + MAX_DIMS + ")");
            }
            long[] dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                dims[d] = u64("the shape of tensor '" + name + "'");
                if (dims[d] < 0) {
                    throw new FornaxException(where + " has a negative dimension " + dims[d]);
                }
                try {
                    elements = Math.multiplyExact(elements, dims[d]);
                } catch (ArithmeticException e) {
                    throw new FornaxException(where + " has more elements than 64 bits can count");
                }
            }
            int typeId = u32("the type of tensor '" + name + "'");
            GgmlType type = GgmlType.fromId(Integer.toUnsignedLong(typeId));
            if (type == null) {
                throw new FornaxException(where + " has unknown ggml type " + Integer.toUnsignedString(typeId));
            }
            long rowLength = nDims == 0 ? 1 : dims[0];
            if (rowLength % type.blockSize() != 0) {
                throw new FornaxException(where + " of type " + type + " has rows of " + rowLength
                        + " elements, not a multiple of its block size " + type.blockSize());
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(elements / type.blockSize(), (long) type.typeSize());
                Math.addExact(bytes, 1L << 62); // keep every offset + size sum far from overflow
            } catch (ArithmeticException e) {
                throw new FornaxException(where + " is too large (its byte size overflows 64 bits)");
            }
            long offset = u64("the data offset of tensor '" + name + "'");
            if (offset < 0 || offset > fileSize) {
                throw new FornaxException(where + " has data offset " + Long.toUnsignedString(offset)
                        + ", beyond the end of the file (" + fileSize + " bytes)");
            }
            return new TensorInfo(name, dims, type, offset, bytes);
        }
    }

    public Path file() {
        return file;
    }

    public int version() {
        return version;
    }

    public long alignment() {
        return alignment;
    }

    /** File position of the data section. */
    public long dataStart() {
        return dataStart;
    }

    /** All metadata, in file order. */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    /** Typed access to the metadata with errors naming the file and key. */
    public GgufMetadata meta() {
        return new GgufMetadata(file, metadata);
    }

    /** All tensors, in file order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The tensor, or null. */
    public TensorInfo tensor(String name) {
        return tensors.get(name);
    }

    /** Absolute file position of a tensor's first byte. */
    public long position(TensorInfo t) {
        return dataStart + t.offset();
    }

    /** Maps {@code length} bytes starting {@code offset} bytes into the tensor; little-endian order. */
    public ByteBuffer map(TensorInfo t, long offset, long length) {
        if (offset < 0 || length < 0 || offset > t.byteSize() - length || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside tensor " + t.name());
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, position(t) + offset, length).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new FornaxException(file + ": cannot map tensor '" + t.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
