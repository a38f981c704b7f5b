package dev.botshift.supervise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.botshift.os.ExhaustMemory;
import org.junit.jupiter.api.Test;

/**
 * A supervisor's JVM that runs out of memory ends at once, without its shutdown hooks, as a killed one does: its
 * spare then takes over with a fresh JVM ({@link SupervisorSpareTest} shows the takeover at a bare end of the pipe).
 * Before, the error reached the supervisor's last catch, which recorded an end and let the hook tell the spare to
 * leave: with nobody watching, the rollout was undriven. Run with the supervisor's own JVM options, its main swapped
 * for one that fills the heap.
 */
class SupervisorOutOfMemoryTest {
    @Test
    void aSupervisorsJvmOutOfMemoryEndsAtOnceWithoutItsShutdownHooks() throws Exception {
        List<String> supervisor = SupervisorProcess.command(Path.of("/nonexistent"), "bot");
        List<String> command = new ArrayList<>(supervisor.subList(0, supervisor.indexOf("dev.botshift.cli.Main")));
        command.add(1, "-Xmx32m");
        command.add(ExhaustMemory.class.getName());

        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(said).contains("Terminating due to java.lang.OutOfMemoryError")
                .as("the error reached no code, and no shutdown hook ran").doesNotContain("caught", "hook ran");
        assertThat(jvm.exitValue()).isEqualTo(3);
    }
}
