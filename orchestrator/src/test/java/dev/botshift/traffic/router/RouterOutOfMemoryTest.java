package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.os.ChildEnvironment;
import dev.botshift.os.ExhaustMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router's JVM (started cold, beside another, or as a spare: {@link RouterLaunch#launch} builds them all) that runs
 * out of heap ends at once, without its shutdown hooks, as a killed one does: the supervisor's guard replaces a router
 * that is gone, and could not tell one whose event loop lost a task to a caught error and limps on. Run with the
 * router's own command and JVM, its main swapped for one that fills a heap made small by the environment.
 */
class RouterOutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void aRoutersJvmOutOfMemoryEndsAtOnceWithoutItsShutdownHooks() throws Exception {
        Path config = Files.writeString(dir.resolve("routes.json"), "{}");
        Path token = Files.writeString(dir.resolve("admin.token"), "t");
        RouterProcess.Options options = new RouterProcess.Options(0, 0, config, List.of(ExhaustMemory.class.getName()),
                Duration.ofSeconds(30), ChildEnvironment.minimal(System.getenv()).with("JAVA_TOOL_OPTIONS", "-Xmx32m"),
                null);

        Process router = RouterLaunch.launch(dir, options, token, List.of());
        assertThat(router.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(dir.resolve(RouterProcess.LOG_FILE), StandardCharsets.UTF_8);

        assertThat(said).contains("Terminating due to java.lang.OutOfMemoryError")
                .as("the error reached no code, and no shutdown hook ran").doesNotContain("caught", "hook ran");
        assertThat(router.exitValue()).isEqualTo(3);
    }
}
