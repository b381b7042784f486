package dev.fornax.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary outputs: committed or gone, and the ones dead processes left are reclaimed. */
class ScratchTest {
    @TempDir
    Path tmp;

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private String[] names() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void uncommittedScratchIsDeletedAndCommittedOneReplacesTheTarget() throws Exception {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        Files.writeString(target.resolve("old.txt"), "old");
        try (Scratch s = Scratch.directory(target, false)) {
            Files.writeString(s.path().resolve("partial"), "x");
            assertThat(s.path().getFileName().toString()).startsWith("out.tmp-" + ProcessHandle.current().pid() + "-");
        }
        assertThat(names()).containsExactly("out");
        try (Scratch s = Scratch.directory(target, false)) {
            Files.writeString(s.path().resolve("new.txt"), "new");
            s.commit();
        }
        assertThat(names()).containsExactly("out");
        assertThat(target.resolve("new.txt")).exists();
        assertThat(target.resolve("old.txt")).doesNotExist();
    }

    @Test
    void missingParentsAreCreatedAndRemovedAgainWithoutACommit() throws Exception {
        Path target = tmp.resolve("a/b/design");
        try (Scratch s = Scratch.directory(target, false)) {
            Files.writeString(s.path().resolve("x"), "x");
        }
        assertThat(names()).isEmpty();
        try (Scratch s = Scratch.directory(target, false)) {
            s.commit();
        }
        assertThat(target).isDirectory();
    }

    @Test
    void fileScratchGetsTheUsualPermissionsNotOwnerOnly() throws Exception {
        Path target = tmp.resolve("logits.f32");
        try (Scratch s = Scratch.file(target, true)) {
            Files.writeString(s.path(), "x");
            s.commit();
        }
        assertThat(Files.getPosixFilePermissions(target)).contains(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        // created like any new file (umask), not 0600 as Files.createTempFile makes them
        Path plain = Files.createFile(tmp.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void staleTemporariesOfDeadProcessesAreReclaimedLiveOnesKept() throws Exception {
        long dead = deadPid();
        Path target = tmp.resolve("design");
        Files.createDirectories(tmp.resolve("design.tmp-" + dead + "-1700000000000/mem"));
        Files.createDirectories(tmp.resolve("design.tmp")); // an older fornax's fixed name
        long me = ProcessHandle.current().pid();
        long myStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        Files.createDirectories(tmp.resolve("design.tmp-" + me + "-" + myStart)); // live: this JVM
        Files.createDirectories(tmp.resolve("design.tmp-" + me + "-" + (myStart - 3_600_000))); // pid reused
        Files.createDirectories(tmp.resolve("design.tmpfiles")); // someone else's name
        Files.createDirectories(tmp.resolve("other.tmp-" + dead + "-1"));
        assertThat(Scratch.reclaim(target, false)).isEqualTo(3);
        assertThat(names()).containsExactly("design.tmp-" + me + "-" + myStart, "design.tmpfiles",
                "other.tmp-" + dead + "-1");
    }

    @Test
    void hiddenTemporariesOfTinyAreReclaimed() throws Exception {
        long dead = deadPid();
        Files.createDirectories(tmp.resolve(".model.tmp-" + dead + "-5"));
        Files.createDirectories(tmp.resolve(".model.tmp-8123456789")); // createTempDirectory's old random suffix
        assertThat(Scratch.reclaim(tmp.resolve("model"), true)).isEqualTo(2);
        assertThat(names()).isEmpty();
    }

    @Test
    void aReplacedTargetMovedAsideByADeadProcessIsPutBack() throws Exception {
        long dead = deadPid();
        Path aside = Files.createDirectories(tmp.resolve("design.old-" + dead + "-7"));
        Files.writeString(aside.resolve("manifest.json"), "{}");
        Scratch.reclaim(tmp.resolve("design"), false);
        assertThat(names()).containsExactly("design");
        assertThat(tmp.resolve("design/manifest.json")).exists();
    }

    @Test
    void sharedCacheKeepsUnownedTemporariesUntilAnHourOld() throws Exception {
        Path fresh = Files.createDirectories(tmp.resolve("abc.tmp1234"));
        Path old = Files.createDirectories(tmp.resolve("def.tmp5678"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(7200)));
        Files.createDirectories(tmp.resolve("def"));
        Files.createDirectories(tmp.resolve("ghi.tmp-" + deadPid() + "-9"));
        Scratch.reclaimAll(tmp);
        assertThat(names()).containsExactly("abc.tmp1234", "def");
        assertThat(fresh).exists();
    }
}
