package dev.botshift.workload.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.testing.Eventually;
import dev.botshift.kubernetes.testing.Kubelet;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.workload.Readiness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesWorkloadsTest extends MockCluster {
    private Kubelet kubelet;
    private KubernetesWorkloads workloads;

    @AfterEach
    void tearDown() {
        if (workloads != null) {
            workloads.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
    }

    /** The workloads of sentiment-bot, with a kubelet that treats their pods by {@code policy}. */
    private KubernetesWorkloads workloads(Kubelet.Policy policy, Duration progressDeadline) {
        kubelet = Kubelet.start(client, NS, policy);
        var config = new KubernetesWorkloadsConfig("sentiment-bot", NS, "registry.test/sentiment-bot:{{version}}",
                DeploymentTemplate.load(null), 8080, progressDeadline, Duration.ofSeconds(5), Map.of("LOG_LEVEL", "info"));
        workloads = new KubernetesWorkloads(client, config);
        Eventually.await(Duration.ofSeconds(10), "workload caches watching", workloads::watching);
        return workloads;
    }

    private static void awaitReady(KubernetesWorkloads w, Slot slot) {
        Eventually.await(Duration.ofSeconds(10), "w.readiness(" + slot + ") instanceof Readiness.Ready",
                () -> w.readiness(slot) instanceof Readiness.Ready);
    }

    @Test
    void startedColourBecomesReadyWithItsOwnDeploymentAndService() {
        KubernetesWorkloads w = workloads(new Kubelet.Policy.Ready(), Duration.ofMinutes(2));

        w.start(Slot.B, "2.0.0", 2);

        awaitReady(w, Slot.B);
        assertThat(w.readiness(Slot.B)).isEqualTo(new Readiness.Ready(2));
        assertThat(w.readiness(Slot.A)).isEqualTo(new Readiness.Absent());
        Eventually.await(Duration.ofSeconds(10), "w.running(Slot.B) == 2", () -> w.running(Slot.B) == 2);

        Deployment d = client.apps().deployments().inNamespace(NS).withName("sentiment-bot-b").get();
        assertThat(d.getMetadata().getLabels()).containsEntry(Names.APP_LABEL, "sentiment-bot")
                .containsEntry(Names.SLOT_LABEL, "b").containsEntry(Names.VERSION_LABEL, "2.0.0");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Names.VERSION_LABEL, "2.0.0");
        assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(120);
        var bot = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(bot.getImage()).isEqualTo("registry.test/sentiment-bot:2.0.0");
        assertThat(bot.getEnv()).anyMatch(e -> e.getName().equals("LOG_LEVEL") && e.getValue().equals("info"));
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();

        var service = client.services().inNamespace(NS).withName("sentiment-bot-b").get();
        assertThat(service.getSpec().getSelector())
                .isEqualTo(Map.of(Names.APP_LABEL, "sentiment-bot", Names.SLOT_LABEL, "b"));
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
    }

    @Test
    void startingTheSameReleaseAgainChangesNothingAndANewVersionUpdatesTheDeployment() {
        KubernetesWorkloads w = workloads(new Kubelet.Policy.Ready(), Duration.ofMinutes(2));
        w.start(Slot.A, "1.0.0", 1);
        awaitReady(w, Slot.A);
        String version = client.apps().deployments().inNamespace(NS).withName("sentiment-bot-a").get()
                .getMetadata().getResourceVersion();

        w.start(Slot.A, "1.0.0", 1);
        assertThat(client.apps().deployments().inNamespace(NS).withName("sentiment-bot-a").get()
                .getMetadata().getResourceVersion()).isEqualTo(version);

        w.start(Slot.A, "1.1.0", 3);
        Deployment d = client.apps().deployments().inNamespace(NS).withName("sentiment-bot-a").get();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.test/sentiment-bot:1.1.0");
        Eventually.await(Duration.ofSeconds(10), "new Readiness.Ready(3).equals(w.readiness(Slot.A))", () -> new Readiness.Ready(3).equals(w.readiness(Slot.A)));
    }

    /** Each intermediate status of a rolling update keeps the colour Progressing, as kubectl rollout status waits. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"SPEC_NOT_OBSERVED, 0", "NEW_REPLICAS_UPDATING, 1",
            "OLD_REPLICAS_PENDING, 2", "NOT_YET_AVAILABLE, 2"})
    void aColourMidRolloutIsNotReadyUntilTheRolloutCompletes(Kubelet.Stage stage, int availableUpdated) {
        KubernetesWorkloads w = workloads(new Kubelet.Policy.Stalled(stage), Duration.ofMinutes(2));

        w.start(Slot.B, "2.0.0", 3);

        var api = client.apps().deployments().inNamespace(NS).withName("sentiment-bot-b");
        Eventually.await(Duration.ofSeconds(10), "the kubelet reports " + stage,
                () -> api.get().getStatus() != null && api.get().getStatus().equals(stage.status(api.get())));
        Eventually.await(Duration.ofSeconds(10), "readiness follows the stalled status",
                () -> w.readiness(Slot.B) instanceof Readiness.Progressing p && p.ready() == availableUpdated
                        && p.desired() == 3);

        kubelet.complete("sentiment-bot-b");

        Eventually.await(Duration.ofSeconds(10), "ready once the rollout completes",
                () -> new Readiness.Ready(3).equals(w.readiness(Slot.B)));
    }

    @Test
    void aColourNotReadySaysWhatItsPodsAreWaitingFor() {
        KubernetesWorkloads w = workloads(new Kubelet.Policy.Stalled(Kubelet.Stage.NEW_REPLICAS_UPDATING),
                Duration.ofMinutes(2));
        w.start(Slot.B, "2.0.0", 3);
        // as a kubelet reports a pod whose image cannot be pulled
        client.pods().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("sentiment-bot-b-pull").withNamespace(NS).withLabels(Map.of(
                        dev.botshift.kubernetes.Names.APP_LABEL, "sentiment-bot",
                        dev.botshift.kubernetes.Names.SLOT_LABEL, Slot.B.label())).endMetadata()
                .withNewStatus().withPhase("Pending").addNewContainerStatus().withName("bot").withReady(false)
                .withRestartCount(0).withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image").endWaiting().endState().endContainerStatus().endStatus()
                .build()).create();

        Eventually.await(Duration.ofSeconds(10), "readiness says what the pod waits for",
                () -> w.readiness(Slot.B) instanceof Readiness.Progressing p && p.why() != null
                        && p.why().equals("pod sentiment-bot-b-pull container bot: ImagePullBackOff (Back-off pulling image)"));
        assertThat(w.readiness(Slot.A)).as("the other colour's pods are not its trouble").isEqualTo(new Readiness.Absent());

        kubelet.complete("sentiment-bot-b"); // as the mid-rollout test ends: nothing left reconciling at the teardown
        awaitReady(w, Slot.B);
    }

    /**
     * A pod whose container runs but whose readiness probe fails: what the probe answered, from the kubelet's Event.
     * The CRUD mock does not select Events by field, so the list the API server would give is an expectation.
     */
    @Test
    void aColourNotReadySaysWhatItsReadinessProbeAnswered() {
        KubernetesWorkloads w = workloads(new Kubelet.Policy.Stalled(Kubelet.Stage.NEW_REPLICAS_UPDATING),
                Duration.ofMinutes(2));
        w.start(Slot.B, "2.0.0", 3);
        String pod = "sentiment-bot-b-probe";
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/events?fieldSelector="
                + java.net.URLEncoder.encode("involvedObject.name=" + pod, java.nio.charset.StandardCharsets.UTF_8))
                .andReturn(200, new io.fabric8.kubernetes.api.model.EventListBuilder()
                        .addToItems(probeEvent(pod, "e1", "2026-12-05T07:00:00Z", "Readiness probe failed: Get "
                                + "\"http://10.0.0.7:8080/healthz\": connection refused"))
                        .addToItems(probeEvent(pod, "e2", "2026-12-05T07:00:09Z", "Readiness probe failed: HTTP probe "
                                + "failed with statuscode: 404"))
                        .build()).always();
        client.pods().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName(pod).withNamespace(NS).withLabels(Map.of(
                        dev.botshift.kubernetes.Names.APP_LABEL, "sentiment-bot",
                        dev.botshift.kubernetes.Names.SLOT_LABEL, Slot.B.label())).endMetadata()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("bot").withReady(false)
                .withRestartCount(0).withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                .endStatus().build()).create();

        Eventually.await(Duration.ofSeconds(10), "readiness says what the probe answered last",
                () -> w.readiness(Slot.B) instanceof Readiness.Progressing p && p.why() != null && p.why().equals(
                        "pod " + pod + " container bot runs, not ready: Readiness probe failed: HTTP probe failed with "
                                + "statuscode: 404"));

        kubelet.complete("sentiment-bot-b");
        awaitReady(w, Slot.B);
    }

    private static io.fabric8.kubernetes.api.model.Event probeEvent(String pod, String name, String at, String message) {
        return new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .endMetadata().withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(NS)
                .endInvolvedObject().withReason("Unhealthy").withType("Warning").withLastTimestamp(at)
                .withMessage(message).build();
    }

    @Test
    void colourThatNeverGetsReadyFailsAfterTheProgressDeadline() {
        KubernetesWorkloads w = workloads(new Kubelet.Policy.NeverReady(Duration.ofMillis(300)), Duration.ofSeconds(1));

        w.start(Slot.B, "2.0.0", 2);

        Eventually.await(Duration.ofSeconds(10), "w.readiness(Slot.B) instanceof Readiness.Failed", () -> w.readiness(Slot.B) instanceof Readiness.Failed);
        assertThat(((Readiness.Failed) w.readiness(Slot.B)).reason())
                .contains("sentiment-bot-b").contains("ProgressDeadlineExceeded");
    }

    @Test
    void stopScalesToZeroWaitsForThePodsThenDeletesDeploymentAndService() {
        KubernetesWorkloads w = workloads(new Kubelet.Policy.Ready(), Duration.ofMinutes(2));
        w.start(Slot.A, "1.0.0", 2);
        Eventually.await(Duration.ofSeconds(10), "w.running(Slot.A) == 2", () -> w.running(Slot.A) == 2);

        w.stop(Slot.A);

        assertThat(client.pods().inNamespace(NS).withLabel(Names.SLOT_LABEL, "a").list().getItems()).isEmpty();
        assertThat(client.apps().deployments().inNamespace(NS).withName("sentiment-bot-a").get()).isNull();
        assertThat(client.services().inNamespace(NS).withName("sentiment-bot-a").get()).isNull();
        Eventually.await(Duration.ofSeconds(10), "w.readiness(Slot.A) instanceof Readiness.Absent", () -> w.readiness(Slot.A) instanceof Readiness.Absent);
        w.stop(Slot.A); // idempotent
    }
}
