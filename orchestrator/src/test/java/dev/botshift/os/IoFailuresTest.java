package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The operating system's refusals, as a user reads them (a real full disk: DiskFullIT). */
class IoFailuresTest {
    @Test
    void aFullDiskNamesThePathAndWhatToDo() {
        var e = IoFailures.of("write", Path.of("/state/app/state.json"), new IOException("No space left on device"));
        assertThat(e.getMessage()).startsWith("no space left on device: /state/app/state.json");
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    }

    @Test
    void anEscapedFailureIsRecognisedDownTheCauseChain() {
        var escaped = new IllegalStateException("wrapped", new UncheckedIOException("cannot write /x/y.json",
                new IOException("No space left on device")));
        assertThat(IoFailures.describe(escaped)).hasValueSatisfying(m -> assertThat(m).contains("no space left on device"));
        assertThat(IoFailures.describe(new FileSystemException("/ro/file", null, "Read-only file system")))
                .hasValueSatisfying(m -> assertThat(m).isEqualTo("read-only file system: /ro/file (use a writable --state-dir)"));
        assertThat(IoFailures.describe(new IllegalStateException("a bug"))).isEmpty();
    }
}
