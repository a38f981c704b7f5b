package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.botshift.core.ExitCode;
import dev.botshift.core.LocalFileException;
import dev.botshift.os.PrivateFiles;
import dev.botshift.state.local.FileStateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 64 KiB tmpfs holding the state directory, filled up. Writing state, the lock or a log is
 * refused with "no space left on device: PATH" and exit code 2, and the file that was there is intact (the write
 * went to a temporary file first). Needs root to mount; skipped otherwise.
 */
class DiskFullIT {
    @TempDir
    Path dir;
    Path mount;
    boolean mounted;

    @BeforeEach
    void mountATinyDisk() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "needs root to mount a tmpfs");
        mount = Files.createDirectory(dir.resolve("disk"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString()) == 0;
        assumeTrue(mounted, "mount -t tmpfs was refused (no CAP_SYS_ADMIN?)");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            assertThat(run("umount", mount.toString())).isZero();
        }
    }

    @Test
    void aFullDiskIsNamedWithItsPathAndNothingIsHalfWritten() throws Exception {
        Path state = mount.resolve("state");
        FileStateStore store = new FileStateStore(state);
        var lock = store.lock("bot", "test", java.time.Duration.ofMinutes(5));
        store.write("bot", "{\"phase\":\"before the disk filled\"}", null, lock);
        fill(mount.resolve("filler"));

        LocalFileException write = catchThrowableOfType(LocalFileException.class,
                () -> store.write("bot", "{\"phase\":\"x\"}".repeat(2000), "1", lock));
        assertThat(write).isNotNull();
        assertThat(write.getMessage()).startsWith("no space left on device: " + state.resolve("bot/state.json"));
        assertThat(write.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(store.read("bot")).hasValueSatisfying(v -> assertThat(v.json()).contains("before the disk filled"));

        LocalFileException log = catchThrowableOfType(LocalFileException.class,
                () -> PrivateFiles.append(state.resolve("bot/router.log"), "x".repeat(8192)));
        assertThat(log).isNotNull();
        assertThat(log.getMessage()).startsWith("no space left on device: " + state.resolve("bot/router.log"));

        try (var stream = Files.list(state.resolve("bot"))) {
            assertThat(stream.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    private static void fill(Path filler) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1000; i++) {
                out.write(block);
                out.flush();
            }
            throw new AssertionError("a 64 KiB disk took 4 MB");
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
