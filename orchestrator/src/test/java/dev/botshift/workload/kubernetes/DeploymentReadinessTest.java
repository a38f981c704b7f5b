package dev.botshift.workload.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.kubernetes.testing.Kubelet;
import dev.botshift.workload.Readiness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DeploymentReadinessTest {
    private static Deployment deployment(long generation, DeploymentStatusBuilder status) {
        return new DeploymentBuilder().withNewMetadata().withName("bot-green").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(3).endSpec().withStatus(status == null ? null : status.build()).build();
    }

    /** "ready/desired: why" of a Progressing readiness. */
    private static String progress(Readiness r) {
        assertThat(r).isInstanceOf(Readiness.Progressing.class);
        Readiness.Progressing p = (Readiness.Progressing) r;
        return p.ready() + "/" + p.desired() + ": " + p.why();
    }

    private static DeploymentStatusBuilder counts(int replicas, int updated, int ready, int available) {
        return new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(replicas)
                .withUpdatedReplicas(updated).withReadyReplicas(ready).withAvailableReplicas(available);
    }

    @Test
    void readyOnlyWhenTheCurrentGenerationHasAllReplicasUpdatedAndAvailable() {
        assertThat(DeploymentReadiness.of(null)).isEqualTo(new Readiness.Absent());
        assertThat(progress(DeploymentReadiness.of(deployment(2, null)))).isEqualTo("0/3: the Deployment has no status yet");
        assertThat(DeploymentReadiness.of(deployment(2, counts(3, 3, 3, 3)))).isEqualTo(new Readiness.Ready(3));
        // the ready pods belong to the previous spec: not ready for this one
        assertThat(progress(DeploymentReadiness.of(deployment(3, counts(3, 3, 3, 3)))))
                .isEqualTo("0/3: the Deployment's status is for an older spec (generation 2 of 3)");
        assertThat(progress(DeploymentReadiness.of(deployment(2, counts(3, 3, 1, 1)))))
                .isEqualTo("1/3: 3 updated, 1 available, 3 pods in all");
        // a status without observedGeneration says nothing about this generation either
        assertThat(progress(DeploymentReadiness.of(deployment(2, counts(3, 3, 3, 3).withObservedGeneration(null)))))
                .startsWith("0/3: the Deployment's status is for an older spec").doesNotContain("null");
    }

    /** The rows kubectl rollout status waits through; each was called Ready when only readyReplicas counted. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            new replicas still updating         | 3 | 2 | 3 | 3 | 1
            old pod pending termination         | 4 | 3 | 3 | 3 | 2
            old pod serving, all ready          | 4 | 3 | 4 | 4 | 2
            minReadySeconds not passed          | 3 | 3 | 3 | 2 | 2
            surge: more updated than available  | 4 | 4 | 4 | 3 | 2
            """)
    void midUpdateIsNotReady(String what, int replicas, int updated, int ready, int available, int reported) {
        assertThat(progress(DeploymentReadiness.of(deployment(2, counts(replicas, updated, ready, available)))))
                .isEqualTo(reported + "/3: " + updated + " updated, " + available + " available, " + replicas + " pods in all");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Kubelet.Stage.class)
    void everyIntermediateStatusOfTheTestKubeletIsNotReady(Kubelet.Stage stage) {
        Deployment d = deployment(2, null);
        d.setStatus(stage.status(d));
        assertThat(DeploymentReadiness.of(d)).as(stage.name()).isInstanceOf(Readiness.Progressing.class);
    }

    @Test
    void progressDeadlineExceededIsFailed() {
        var stuck = new DeploymentStatusBuilder().withObservedGeneration(1L).withReplicas(3).withReadyReplicas(0)
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"bot-green-abc\" has timed out progressing.").endCondition();
        Readiness r = DeploymentReadiness.of(deployment(1, stuck));
        assertThat(r).isInstanceOf(Readiness.Failed.class);
        assertThat(((Readiness.Failed) r).reason()).contains("bot-green").contains("ProgressDeadlineExceeded")
                .contains("timed out");
    }
}
