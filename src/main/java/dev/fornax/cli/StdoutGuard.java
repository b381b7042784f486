package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.io.IoErrors;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard output that fails loudly. {@link PrintStream} swallows write errors, so
 * {@code fornax generate > /dev/full} used to exit 0 with the output lost; this stream turns the
 * first failed write into a {@link FornaxException} ("cannot write to standard output: no space
 * left on device"), which ends the command with exit 1 — at once, not after the last token.
 */
final class StdoutGuard extends OutputStream {
    private final OutputStream out;

    private StdoutGuard(OutputStream out) {
        this.out = out;
    }

    /** Installs the guarded stream as System.out, keeping the platform's stdout encoding. */
    static void install() {
        String enc = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        Charset cs;
        try {
            cs = enc == null ? Charset.defaultCharset() : Charset.forName(enc);
        } catch (RuntimeException e) {
            cs = Charset.defaultCharset();
        }
        OutputStream guarded = new StdoutGuard(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(new BufferedOutputStream(guarded, 8192), true, cs));
    }

    @Override
    public void write(int b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    static FornaxException failed(IOException e) {
        return new FornaxException("cannot write to standard output: " + IoErrors.describe(e), e);
    }
}
