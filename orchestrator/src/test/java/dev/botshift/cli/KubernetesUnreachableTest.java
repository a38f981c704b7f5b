package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import picocli.CommandLine;

/**
 * {@code botshift status <app> --namespace <ns>} with no Kubernetes API to reach (here a closed port) says so with exit
 * code 2 within about a second, naming the API's address; before, it ended with "internal error:
 * KubernetesClientException: Operation: [get] … failed" and exit 1 (found by fuzzing the commands' options), then
 * named it after the store's retries, about 13 s.
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class KubernetesUnreachableTest {
    /** An {@code <app>} that cannot be an app's name is refused before it names a Kubernetes object. */
    @Test
    void anAppThatCannotBeAnAppsNameIsRefusedBeforeAnyRequest() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));

        int code = cli.execute("status", "../secrets/x", "--namespace", "bots");

        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).startsWith("botshift: <app>: '../secrets/x' is not an app name");
    }

    @Test
    void statusWithNoApiToReachSaysSoWithExitCode2() {
        Map<String, String> set = Map.of("kubernetes.master", "https://127.0.0.1:9", "kubernetes.auth.tryKubeConfig",
                "false", "kubernetes.auth.tryServiceAccount", "false");
        Map<String, String> before = new LinkedHashMap<>();
        set.forEach((k, v) -> before.put(k, System.setProperty(k, v)));
        try {
            StringWriter err = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));

            long start = System.nanoTime();
            int code = cli.execute("status", "bot", "--namespace", "bots");
            java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);

            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).startsWith("botshift: Kubernetes API https://127.0.0.1:9/ cannot be reached")
                    .doesNotContain("internal error", "KubernetesClientException");
            assertThat(took).as("named at once, not after a rollout's retries")
                    .isLessThan(java.time.Duration.ofSeconds(5));
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
