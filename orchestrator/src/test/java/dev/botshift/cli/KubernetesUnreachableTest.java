package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.testing.Slow;
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
 * code 2 once its requests have been retried; before, it ended with "internal error: KubernetesClientException:
 * Operation: [get] … failed" and exit 1 (found by fuzzing the commands' options).
 */
@Slow // the store's requests are retried for about 13 s, as a rollout's are
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class KubernetesUnreachableTest {
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

            int code = cli.execute("status", "bot", "--namespace", "bots");

            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).startsWith("botshift: the Kubernetes API cannot be reached (")
                    .doesNotContain("internal error", "KubernetesClientException");
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
