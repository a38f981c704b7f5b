package dev.botshift.analysis.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.CheckMemory;
import dev.botshift.analysis.CheckResult;
import dev.botshift.analysis.Checks;
import dev.botshift.analysis.ChecksSeen;
import dev.botshift.analysis.Restarts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.RestartReading;
import dev.botshift.analysis.Verdict;
import dev.botshift.core.Slot;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.testing.MockCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Green's pods' restarts and OOM kills from the statuses a kubelet writes, on Fabric8's mock API server in CRUD mode;
 * the statuses are written here as the test kubelet writes a Deployment's ({@code updateStatus}).
 */
class PodRestartSignalsTest extends MockCluster {
    private static final MetricsTarget GREEN = new MetricsTarget(Slot.B, "2.0.0");

    private PodRestartSignals signals() {
        return new PodRestartSignals(client, NS, "sentiment-bot");
    }

    private void pod(String name, String slot, String version) {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withLabels(Map.of(Names.APP_LABEL, "sentiment-bot", Names.SLOT_LABEL, slot,
                        Names.VERSION_LABEL, version)).endMetadata()
                .withNewSpec().addNewContainer().withName("bot").withImage("bot:" + version).endContainer()
                .endSpec().build()).create();
    }

    /** What the kubelet reports for the pod's one container. */
    private void status(String pod, ContainerStatus container) {
        Pod p = client.pods().inNamespace(NS).withName(pod).get();
        p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .withContainerStatuses(container).build());
        client.pods().inNamespace(NS).resource(p).updateStatus();
    }

    private static ContainerStatus running(int restarts) {
        return new ContainerStatusBuilder().withName("bot").withRestartCount(restarts).withReady(true)
                .withNewState().withNewRunning().endRunning().endState().build();
    }

    private static ContainerStatus restartedAfter(String reason, int restarts) {
        return new ContainerStatusBuilder().withName("bot").withRestartCount(restarts).withReady(true)
                .withNewState().withNewRunning().endRunning().endState()
                .withNewLastState().withNewTerminated().withReason(reason).withExitCode(137).endTerminated()
                .endLastState().build();
    }

    @Test
    void readsTheRestartsOfGreensContainersAtItsVersionOnly() {
        pod("sentiment-bot-b-1", "b", "2.0.0");
        pod("sentiment-bot-b-2", "b", "2.0.0");
        pod("sentiment-bot-a-1", "a", "1.0.0");
        status("sentiment-bot-b-1", restartedAfter(Restarts.OOM_KILLED, 2));
        status("sentiment-bot-b-2", running(0));
        status("sentiment-bot-a-1", running(9));

        RestartReading reading = signals().read(GREEN);

        assertThat(reading).isInstanceOfSatisfying(RestartReading.Counted.class, c -> assertThat(c.units())
                .containsExactlyInAnyOrder(Restarts.container("sentiment-bot-b-1", "bot", 2, "OOMKilled"),
                        Restarts.container("sentiment-bot-b-2", "bot", 0, null)));
    }

    @Test
    void aContainerJustKilledCountsAsRestartedBeforeTheKubeletStartsItAgain() {
        pod("sentiment-bot-b-1", "b", "2.0.0");
        status("sentiment-bot-b-1", new ContainerStatusBuilder().withName("bot").withRestartCount(0)
                .withNewState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated()
                .endState().build());

        assertThat(signals().read(GREEN)).isEqualTo(new RestartReading.Counted(List.of(
                Restarts.container("sentiment-bot-b-1", "bot", 1, "OOMKilled")), "container"));
    }

    @Test
    void podsWithoutStatusYetAreNotCounted() {
        pod("sentiment-bot-b-1", "b", "2.0.0");

        assertThat(signals().read(GREEN)).isEqualTo(new RestartReading.Counted(List.of(), "container"));
    }

    @Test
    void anOomKillAfterGreenWasFirstJudgedFailsTheIntervalNamingPodAndContainer() {
        pod("sentiment-bot-b-1", "b", "2.0.0");
        status("sentiment-bot-b-1", running(1)); // a restart while green started: its readiness deadline's business
        Checks.Outcome first = Checks.judge(List.of(), new ChecksSeen(Map.of(), Map.of(), signals().read(GREEN)),
                CheckMemory.EMPTY, 50);
        assertThat(first.results()).extracting(CheckResult::verdict).containsExactly(Verdict.Kind.PASS);

        status("sentiment-bot-b-1", restartedAfter("OOMKilled", 2));
        Checks.Outcome second = Checks.judge(List.of(), new ChecksSeen(Map.of(), Map.of(), signals().read(GREEN)),
                first.memory(), 50);

        Verdict v = Checks.combine(new Verdict.Pass("green 0.0% of 120, limit 5.0%"), second);
        assertThat(v).isInstanceOf(Verdict.Fail.class);
        assertThat(v.reason()).startsWith("check bot restarts failed: pod sentiment-bot-b-1 container bot restarted 1"
                + " time (last ended: OOMKilled, killed for memory) since green was first judged");
    }
}
