package dev.fornax.cli;

import dev.fornax.FornaxException;
import dev.fornax.engine.Engine;
import dev.fornax.engine.Engines;
import dev.fornax.engine.TeacherForcing;
import dev.fornax.golden.RawLogits;
import dev.fornax.io.IoErrors;
import dev.fornax.io.OutputTargets;
import dev.fornax.io.Scratch;
import dev.fornax.model.LoadedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fornax logits MODEL --tokens 1,2,3 [--engine E] [--int32] --out FILE}: teacher-forced logits
 * as raw little-endian float32 [len × vocab] (or, with --int32, the integer engine's Q16 int32
 * logits), row i after consuming tokens 0..i. Rows are written as they
 * are computed to a temporary sibling (.FILE.tmp-PID-START), which is renamed to FILE only when all rows
 * are in. FILE must be a regular file or a new path: a FIFO, a device or a symbolic link is refused.
 */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Teacher-forced logits: little-endian float32 [len × vocab], row i after tokens 0..i.")
public final class LogitsCommand implements Callable<Integer> {
    @Mixin
    EngineOptions options;

    @Option(names = "--tokens", paramLabel = "IDS", required = true,
            description = "comma-separated token ids, used exactly as given (no BOS added)")
    String tokens;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "output file")
    Path out;

    @Option(names = "--int32",
            description = "write the raw Q16 integer logits (little-endian int32, value = L/65536) of an"
                    + " integer engine (--engine int8) instead of float32")
    boolean int32;

    @Override
    public Integer call() {
        Path target = out.toAbsolutePath();
        OutputTargets.requireFile(target, "--out"); // before the model is read: refuse a FIFO, device or link
        Engines.Factory factory = options.factory();
        try (LoadedModel model = options.load(); Engine engine = factory.create(model)) {
            if (int32 && !(engine instanceof RawLogits)) {
                throw new FornaxException("--int32 needs an engine with integer logits (--engine int8), not '"
                        + options.engine + "'");
            }
            int vocab = engine.spec().vocab();
            int[] ids = TokenIds.parse("--tokens", tokens, vocab);
            Scratch.reclaim(target, true);
            try (Scratch tmp = Scratch.file(target, true)) {
                try (FileChannel ch = FileChannel.open(tmp.path(), StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = ByteBuffer.allocate(vocab * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    IOException[] failure = new IOException[1];
                    TeacherForcing.forEachRow(engine, ids, (i, row) -> {
                        if (failure[0] != null) {
                            return;
                        }
                        buf.clear();
                        if (int32) {
                            buf.asIntBuffer().put(((RawLogits) engine).rawLogits());
                        } else {
                            buf.asFloatBuffer().put(row);
                        }
                        buf.limit(vocab * Float.BYTES);
                        try {
                            while (buf.hasRemaining()) {
                                ch.write(buf);
                            }
                        } catch (IOException e) {
                            failure[0] = e;
                        }
                    });
                    if (failure[0] != null) {
                        throw failure[0];
                    }
                    ch.force(true);
                } catch (IOException e) {
                    throw new FornaxException("--out " + out + ": writing " + tmp.path() + " failed: "
                            + IoErrors.describe(e), e);
                }
                tmp.commit();
            }
        }
        return 0;
    }
}
