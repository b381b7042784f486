package dev.fornax.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The two displays on a fake clock: a bar redrawn in place, and plain lines for logs. */
class ProgressTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final AtomicLong now = new AtomicLong();

    String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    Progress progress(Progress.Mode mode, int quiet, long total, Progress.Unit unit) {
        return new Progress(err, mode, quiet, "download x", total, unit, now::get);
    }

    @Test
    void linesAreOnePerQuarterAndDoneWithoutControlCharacters() {
        try (Progress p = progress(Progress.Mode.LINES, 0, 4_000_000, Progress.Unit.BYTES)) {
            for (int i = 0; i < 40; i++) {
                now.addAndGet(100_000_000L);
                p.advance(100_000);
            }
        }
        assertThat(out()).isEqualTo("""
                download x: 4.0 MB
                download x: 25% (1.0 of 4.0 MB)
                download x: 50% (2.0 of 4.0 MB)
                download x: 75% (3.0 of 4.0 MB)
                download x: done, 4.0 MB in 4.0 s
                """);
    }

    @Test
    void automaticLinesStayQuietForShortWork() {
        try (Progress p = progress(Progress.Mode.LINES, Progress.QUIET_SECONDS, 100, Progress.Unit.of("rows"))) {
            now.addAndGet(1_000_000_000L);
            p.advance(100);
        }
        assertThat(out()).isEmpty();
        // long work: the quarters after the quiet time, and the end
        try (Progress p = progress(Progress.Mode.LINES, Progress.QUIET_SECONDS, 100, Progress.Unit.of("rows"))) {
            now.addAndGet(6_000_000_000L);
            p.advance(30);
            p.advance(70);
        }
        assertThat(out()).isEqualTo("download x: 25% (30 of 100 rows)\ndownload x: done, 100 rows in 6.0 s\n");
    }

    @Test
    void theBarIsRedrawnInPlaceAndUnfinishedWorkIsWipedForTheErrorLine() {
        Progress p = progress(Progress.Mode.BAR, 0, 200, Progress.Unit.of("rows"));
        now.addAndGet(200_000_000L);
        p.advance(100);
        p.close(); // an error follows: nothing may stay on the line
        String s = out();
        assertThat(s).startsWith("\rdownload x [........................]   0% 0/200 rows")
                .contains("\rdownload x [############............]  50% 100/200 rows");
        assertThat(s).endsWith("\r");
        String last = s.substring(s.lastIndexOf('\r', s.length() - 2) + 1, s.length() - 1);
        assertThat(last).hasSizeGreaterThan(40).isBlank();
        assertThat(s).doesNotContain("\n");
    }

    @Test
    void byteCountsReadAsPeopleWriteThem() {
        assertThat(Progress.bytes(812)).isEqualTo("812 B");
        assertThat(Progress.bytes(6_300)).isEqualTo("6.3 kB");
        assertThat(Progress.bytes(494_032_768)).isEqualTo("494.0 MB");
        assertThat(Progress.bytes(1_240_000_000L)).isEqualTo("1.2 GB");
    }
}
