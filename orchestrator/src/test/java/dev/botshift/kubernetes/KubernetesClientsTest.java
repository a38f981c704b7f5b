package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a client does when the API server refuses every connection. */
class KubernetesClientsTest {
    @TempDir
    Path dir;

    @Test
    void theCheckBeforeARunNamesARefusingApiServerWithinASecondOrTwo() throws Exception {
        int refusing;
        try (ServerSocket s = new ServerSocket(0)) {
            refusing = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig.yaml"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: not-a-real-token}}]
                contexts: [{name: x, context: {cluster: c, user: u, namespace: bots}}]
                current-context: x
                """.formatted(refusing));
        System.setProperty("kubeconfig", kubeconfig.toString());
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        try (KubernetesClient client = KubernetesClients.probe("bots")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.configMaps().inNamespace("bots").withName("any").get())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).as("no HTTP answer")
                            .isLessThanOrEqualTo(0));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // a rollout's client (6 retries from 200 ms, doubling) would take about 12.6 s here
            assertThat(took).as("the refusal after one retry").isLessThan(Duration.ofSeconds(3));
        } finally {
            System.clearProperty("kubeconfig");
            System.clearProperty("kubernetes.auth.tryServiceAccount");
        }
    }
}
