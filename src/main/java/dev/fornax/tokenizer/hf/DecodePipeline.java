package dev.fornax.tokenizer.hf;

import dev.fornax.tokenizer.Utf8Decoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Decoder} chain token by token, so one implementation serves both {@code decode} (all
 * tokens, then {@link Run#finish}) and streaming: the streamed pieces concatenate to the decoded text by
 * construction. Each stage holds back only what a later token could still change: an incomplete UTF-8
 * sequence (ByteLevel), a run of byte tokens (ByteFallback replaces a whole run when any byte in it is
 * invalid), trailing characters a Strip may remove.
 *
 * <p>Before a {@link Decoder.Fuse} or {@link Decoder.ByteLevel} step, stages see whole tokens; after it,
 * they see fragments of the single fused token. A stage that cannot work on fragments buffers them and
 * runs once at the end, which is exact if not incremental; no tokenizer we know needs that.
 */
final class DecodePipeline {
    private final List<Decoder> steps;

    /** {@code decoder} null: tokens joined with spaces, as HF does without a decoder. */
    DecodePipeline(Decoder decoder) {
        this.steps = new ArrayList<>();
        flatten(decoder, steps);
    }

    private static void flatten(Decoder decoder, List<Decoder> out) {
        if (decoder instanceof Decoder.Sequence seq) {
            seq.decoders().forEach(d -> flatten(d, out));
        } else if (decoder != null) {
            out.add(decoder);
        }
    }

    /** A fresh decoding run. */
    Run start() {
        Stage first = null;
        Stage last = null;
        boolean fused = false;
        List<Stage> stages = new ArrayList<>();
        if (steps.isEmpty()) {
            stages.add(new JoinWithSpaces());
        }
        for (Decoder step : steps) {
            stages.add(stage(step, fused));
            fused |= step instanceof Decoder.Fuse || step instanceof Decoder.ByteLevel;
        }
        for (Stage stage : stages) {
            if (first == null) {
                first = stage;
            } else {
                last.next = stage;
            }
            last = stage;
        }
        return new Run(first);
    }

    private static Stage stage(Decoder step, boolean fused) {
        if (step instanceof Decoder.Replace r) {
            return fused && !isSingleCharLiteral(r) ? new Buffered(new Replace(r)) : new Replace(r);
        } else if (step instanceof Decoder.ByteFallback) {
            return fused ? new Buffered(new ByteFallback()) : new ByteFallback();
        } else if (step instanceof Decoder.Fuse) {
            return new PassThrough();
        } else if (step instanceof Decoder.Strip s) {
            return fused ? new FusedStrip(s) : new Strip(s);
        } else if (step instanceof Decoder.ByteLevel) {
            return fused ? new Buffered(new ByteLevel()) : new ByteLevel();
        } else if (step instanceof Decoder.Metaspace m) {
            return new Metaspace(m, fused);
        }
        throw new IllegalStateException("unhandled decoder " + step);
    }

    /** A single-character literal pattern works on fragments as well as on whole tokens. */
    private static boolean isSingleCharLiteral(Decoder.Replace r) {
        String p = r.pattern().pattern();
        if (!p.startsWith("\\Q") || !p.endsWith("\\E")) {
            return false;
        }
        String literal = p.substring(2, p.length() - 2);
        return literal.codePointCount(0, literal.length()) == 1;
    }

    /** One decoding in progress. */
    static final class Run {
        private final Stage first;
        private final StringBuilder out = new StringBuilder();

        private Run(Stage first) {
            this.first = first;
        }

        /** Feeds a token; returns the text that became final. */
        String push(String token) {
            first.accept(token, out);
            return take();
        }

        /** Ends the input; returns what was held back. */
        String finish() {
            first.finish(out);
            return take();
        }

        private String take() {
            String s = out.toString();
            out.setLength(0);
            return s;
        }
    }

    private abstract static class Stage {
        Stage next; // null: the text goes to the output

        /** A token (or, after a fusing step, a fragment of the fused token). */
        abstract void accept(String text, StringBuilder out);

        void finish(StringBuilder out) {
            if (next != null) {
                next.finish(out);
            }
        }

        final void emit(String text, StringBuilder out) {
            if (next == null) {
                out.append(text);
            } else {
                next.accept(text, out);
            }
        }
    }

    /** No decoder: HF joins the tokens with single spaces. */
    private static final class JoinWithSpaces extends Stage {
        private boolean first = true;

        @Override
        void accept(String text, StringBuilder out) {
            emit(first ? text : " " + text, out);
            first = false;
        }
    }

    private static final class PassThrough extends Stage {
        @Override
        void accept(String text, StringBuilder out) {
            emit(text, out);
        }
    }

    /** Collects everything and runs {@code inner} once on the whole (fused) token at the end. */
    private static final class Buffered extends Stage {
        private final Stage inner;
        private final StringBuilder buffer = new StringBuilder();

        Buffered(Stage inner) {
            this.inner = inner;
        }

        @Override
        void accept(String text, StringBuilder out) {
            buffer.append(text);
        }

        @Override
        void finish(StringBuilder out) {
            inner.next = next;
            inner.accept(buffer.toString(), out);
            buffer.setLength(0);
            inner.finish(out);
        }
    }

    private static final class Replace extends Stage {
        private final Decoder.Replace step;

        Replace(Decoder.Replace step) {
            this.step = step;
        }

        @Override
        void accept(String text, StringBuilder out) {
            emit(OnigRegex.replaceAll(step.pattern(), text, step.content()), out);
        }
    }

    private static final class ByteFallback extends Stage {
        private byte[] run = new byte[16];
        private int length;

        @Override
        void accept(String token, StringBuilder out) {
            int b = byteOf(token);
            if (b >= 0) {
                if (length == run.length) {
                    run = java.util.Arrays.copyOf(run, length * 2);
                }
                run[length++] = (byte) b;
                return;
            }
            flush(out);
            emit(token, out);
        }

        @Override
        void finish(StringBuilder out) {
            flush(out);
            super.finish(out);
        }

        private void flush(StringBuilder out) {
            if (length == 0) {
                return;
            }
            if (Utf8Decoder.isWellFormed(run, length)) {
                emit(Utf8Decoder.decode(run, length), out);
            } else {
                for (int i = 0; i < length; i++) {
                    emit(String.valueOf(Utf8Decoder.REPLACEMENT), out);
                }
            }
            length = 0;
        }

        /** The byte of a 6-byte {@code <0xNN>} token (Rust {@code u8::from_str_radix}, '+' allowed), else -1. */
        private static int byteOf(String token) {
            if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
                return -1;
            }
            char hi = token.charAt(3);
            char lo = token.charAt(4);
            if (hi == '+') {
                return hexDigit(lo);
            }
            int h = hexDigit(hi);
            int l = hexDigit(lo);
            return h < 0 || l < 0 ? -1 : h * 16 + l;
        }

        private static int hexDigit(char c) {
            return c < 128 ? Character.digit(c, 16) : -1;
        }
    }

    /** Strip on whole tokens. */
    private static final class Strip extends Stage {
        private final Decoder.Strip step;

        Strip(Decoder.Strip step) {
            this.step = step;
        }

        @Override
        void accept(String token, StringBuilder out) {
            int[] cps = token.codePoints().toArray();
            int startCut = 0;
            for (int i = 0; i < Math.min(step.start(), cps.length) && cps[i] == step.content(); i++) {
                startCut = i + 1;
            }
            int stopCut = cps.length;
            for (int i = 0; i < step.stop() && cps.length - i - 1 >= startCut; i++) {
                int index = cps.length - i - 1;
                if (cps[index] != step.content()) {
                    break;
                }
                stopCut = index;
            }
            emit(new String(cps, startCut, stopCut - startCut), out);
        }
    }

    /** Strip on the fused token, incrementally: holds back at most {@code stop} trailing content characters. */
    private static final class FusedStrip extends Stage {
        private final Decoder.Strip step;
        private int stripped; // leading content characters removed so far
        private boolean leadDone;
        private int held; // trailing content characters not yet emitted

        FusedStrip(Decoder.Strip step) {
            this.step = step;
            this.leadDone = step.start() == 0;
        }

        @Override
        void accept(String text, StringBuilder out) {
            StringBuilder ready = new StringBuilder(text.length());
            text.codePoints().forEach(cp -> {
                if (!leadDone) {
                    if (cp == step.content() && stripped < step.start()) {
                        stripped++;
                        leadDone = stripped == step.start();
                        return;
                    }
                    leadDone = true;
                }
                if (step.stop() == 0) {
                    ready.appendCodePoint(cp);
                } else if (cp == step.content()) {
                    if (held == step.stop()) {
                        ready.appendCodePoint(cp); // the oldest held one can no longer be trailing-stripped
                    } else {
                        held++;
                    }
                } else {
                    for (; held > 0; held--) {
                        ready.appendCodePoint(step.content());
                    }
                    ready.appendCodePoint(cp);
                }
            });
            if (ready.length() > 0) {
                emit(ready.toString(), out);
            }
        }

        @Override
        void finish(StringBuilder out) {
            held = 0; // they were trailing: stripped
            super.finish(out);
        }
    }

    /** Byte-level alphabet → bytes → UTF-8, across all tokens. */
    private static final class ByteLevel extends Stage {
        private final Utf8Decoder utf8 = new Utf8Decoder();
        private final StringBuilder chars = new StringBuilder();

        @Override
        void accept(String token, StringBuilder out) {
            byte[] bytes = new byte[token.length()];
            boolean mapped = true;
            for (int i = 0; i < token.length() && mapped; i++) {
                int b = ByteLevelAlphabet.byteOf(token.charAt(i));
                mapped = b >= 0;
                bytes[i] = (byte) b;
            }
            if (!mapped) {
                bytes = token.getBytes(StandardCharsets.UTF_8); // HF keeps such a token's own bytes
            }
            utf8.write(bytes, bytes.length, chars);
            release(out);
        }

        @Override
        void finish(StringBuilder out) {
            utf8.finish(chars);
            release(out);
            super.finish(out);
        }

        private void release(StringBuilder out) {
            if (chars.length() > 0) {
                emit(chars.toString(), out);
                chars.setLength(0);
            }
        }
    }

    private static final class Metaspace extends Stage {
        private final Decoder.Metaspace step;
        private final boolean fused; // then every fragment belongs to the first (only) token
        private boolean first = true;

        Metaspace(Decoder.Metaspace step, boolean fused) {
            this.step = step;
            this.fused = fused;
        }

        @Override
        void accept(String text, StringBuilder out) {
            boolean drop = (first || fused) && step.prepends();
            first = false;
            emit(text.replace(step.replacement(), drop ? "" : " "), out);
        }
    }
}
