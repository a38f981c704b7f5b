package dev.botshift.workload.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the kubelet and the scheduler say of pods that are not ready, in one line. */
class PodTroubleTest {
    /** No probe's answer known: as when the pods' Events cannot be read. */
    private static java.util.Optional<String> trouble(List<Pod> pods) {
        return PodTrouble.of(pods, pod -> java.util.Optional.empty());
    }

    private static Pod pod(String name, ContainerStatus... containers) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withPhase("Pending").withContainerStatuses(containers).endStatus().build();
    }

    private static ContainerStatus waiting(String reason, String message, int restarts) {
        return new ContainerStatusBuilder().withName("bot").withRestartCount(restarts).withReady(false)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
    }

    @Test
    void aContainerThatCannotStartIsNamedWithTheKubeletsReason() {
        assertThat(trouble(List.of(pod("bot-b-2", waiting("ContainerCreating", null, 0)),
                pod("bot-b-1", waiting("ImagePullBackOff", "Back-off pulling image \"bot:2.0.0\"", 0)))))
                .hasValue("pod bot-b-1 container bot: ImagePullBackOff (Back-off pulling image \"bot:2.0.0\")");
        assertThat(trouble(List.of(pod("bot-b-1", waiting("CrashLoopBackOff",
                "back-off 40s restarting failed container=bot", 3)))))
                .hasValue("pod bot-b-1 container bot: CrashLoopBackOff (back-off 40s restarting failed container=bot),"
                        + " 3 restart(s)");
    }

    @Test
    void aNormalStartAndAPodGoingAwayAreNoTrouble() {
        Pod leaving = pod("bot-b-0", waiting("CrashLoopBackOff", null, 5));
        leaving.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");

        assertThat(trouble(List.of(pod("bot-b-1", waiting("ContainerCreating", null, 0)), leaving,
                new PodBuilder().withNewMetadata().withName("bot-b-2").endMetadata().build()))).isEmpty();
    }

    @Test
    void aRunningContainerNotReadyIsToldLastAndPointsAtTheProbe() {
        ContainerStatus running = new ContainerStatusBuilder().withName("bot").withRestartCount(0).withReady(false)
                .withNewState().withNewRunning().endRunning().endState().build();

        assertThat(trouble(List.of(pod("bot-b-0", running)))).hasValue("pod bot-b-0 container bot runs, not"
                + " ready: its readiness probe has not passed (kubectl describe pod bot-b-0)");
        assertThat(trouble(List.of(pod("bot-b-0", running), pod("bot-b-1", waiting("ErrImagePull", null, 0)))))
                .as("a waiting container is worse, whatever its pod's name").hasValue("pod bot-b-1 container bot: ErrImagePull");
    }

    @Test
    void aRunningContainerNotReadySaysWhatItsProbeAnswered() {
        ContainerStatus running = new ContainerStatusBuilder().withName("bot").withRestartCount(0).withReady(false)
                .withNewState().withNewRunning().endRunning().endState().build();

        assertThat(PodTrouble.of(List.of(pod("bot-b-0", running)), pod -> pod.equals("bot-b-0")
                ? java.util.Optional.of("Readiness probe failed: HTTP probe failed with statuscode: 404\n")
                : java.util.Optional.empty())).hasValue("pod bot-b-0 container bot runs, not ready: Readiness probe "
                + "failed: HTTP probe failed with statuscode: 404");
    }

    @Test
    void aPodTheSchedulerCannotPlaceSaysWhy() {
        Pod pending = new PodBuilder().withNewMetadata().withName("bot-b-0").endMetadata().withNewStatus()
                .withPhase("Pending").withConditions(new PodConditionBuilder().withType("PodScheduled")
                        .withStatus("False").withReason("Unschedulable")
                        .withMessage("0/3 nodes are available: 3 Insufficient memory.\n" + "x".repeat(300)).build())
                .endStatus().build();

        assertThat(trouble(List.of(pending))).hasValueSatisfying(why -> assertThat(why)
                .startsWith("pod bot-b-0 cannot be scheduled: Unschedulable (0/3 nodes are available: 3 Insufficient"
                        + " memory. xxx").endsWith("…)").doesNotContain("\n").hasSizeLessThan(260));
    }
}
