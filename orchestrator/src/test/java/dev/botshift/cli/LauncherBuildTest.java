package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.platform.KubernetesPlans;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./botshift} launcher builds the jars when they are missing or older than the sources, one build at a
 * time: two commands started together (a demo in one terminal, a status in another) each ran Maven, and one's
 * packaging replaced the jar under the other ("Could not replace original artifact with shaded artifact", then "Unable
 * to access jarfile"). The real launcher in a copy of the repository's layout, with a stand-in {@code mvn} that takes a
 * few seconds and counts its builds and a stand-in {@code java} that says what it would run.
 */
class LauncherBuildTest {
    @TempDir
    Path repo;

    @Test
    void twoCommandsStartedTogetherBuildOnceAndBothRun() throws Exception {
        Path launcher = repo.resolve("botshift");
        Files.copy(KubernetesPlans.REPO.resolve("botshift"), launcher);
        for (String dir : List.of("orchestrator/src/main", "examples/sentiment-bot/src/main")) {
            Files.createDirectories(repo.resolve(dir));
        }
        for (String pom : List.of("pom.xml", "orchestrator/pom.xml", "examples/sentiment-bot/pom.xml")) {
            Files.writeString(repo.resolve(pom), "<project/>");
        }
        Path bin = Files.createDirectories(repo.resolve("bin"));
        script(bin.resolve("mvn"), """
                #!/bin/sh
                echo build >> "$PWD/builds.log"
                sleep 2
                mkdir -p orchestrator/target examples/sentiment-bot/target
                echo jar > orchestrator/target/botshift.jar
                echo jar > examples/sentiment-bot/target/sentiment-bot.jar
                """);
        script(bin.resolve("java"), """
                #!/bin/sh
                case "$1" in -XshowSettings*) echo "    java.specification.version = 17" >&2; exit 0;; esac
                for last; do :; done
                echo "ran $last"
                """);

        List<Process> commands = new ArrayList<>();
        for (String command : List.of("demo", "status")) {
            ProcessBuilder b = new ProcessBuilder("bash", launcher.toString(), command).redirectErrorStream(true);
            b.environment().put("PATH", bin + ":/usr/bin:/bin");
            commands.add(b.start());
        }
        List<String> said = new ArrayList<>();
        for (Process p : commands) {
            said.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(said.get(said.size() - 1)).isZero();
        }

        assertThat(Files.readAllLines(repo.resolve("builds.log"))).as("one build").hasSize(1);
        assertThat(said.get(0)).contains("ran demo");
        assertThat(said.get(1)).contains("ran status");
        assertThat(String.join("\n", said)).as("the second waited for the first").contains(
                "another botshift command is building the jars; waiting for it");
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
