package dev.fornax.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A missing input whose name holds a newline (finding of CliOptionsFuzzTest in CI, 2026-12-04):
 * still one `fornax:` line, the newline shown as an escape.
 */
class NewlineInPathTest {
    @Test
    void aMissingFileWithANewlineInItsNameIsOneLine() {
        for (List<String> args : List.of(List.of("tokenize", "--decode", "1,2,3", "no\nsuch: file"),
                List.of("inspect", "no\nsuch: file"))) {
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.exit()).as(args.toString()).isEqualTo(1);
            assertThat(r.err()).as(args.toString()).hasLineCount(1).startsWith("fornax: no\\u000asuch: file")
                    .doesNotContain("Exception");
        }
    }
}
