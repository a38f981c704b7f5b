package dev.botshift.workload.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.workload.Readiness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import org.junit.jupiter.api.Test;

class DeploymentReadinessTest {
    private static Deployment deployment(long generation, DeploymentStatusBuilder status) {
        return new DeploymentBuilder().withNewMetadata().withName("bot-green").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(3).endSpec().withStatus(status == null ? null : status.build()).build();
    }

    @Test
    void readyOnlyWhenTheCurrentGenerationHasAllReplicasReady() {
        assertThat(DeploymentReadiness.of(null)).isEqualTo(new Readiness.Absent());
        assertThat(DeploymentReadiness.of(deployment(2, null))).isEqualTo(new Readiness.Progressing(0, 3));
        var allReady = new DeploymentStatusBuilder().withReplicas(3).withUpdatedReplicas(3).withReadyReplicas(3);
        assertThat(DeploymentReadiness.of(deployment(2, allReady.withObservedGeneration(2L))))
                .isEqualTo(new Readiness.Ready(3));
        // the ready pods belong to the previous spec: not ready for this one
        assertThat(DeploymentReadiness.of(deployment(3, allReady.withObservedGeneration(2L))))
                .isEqualTo(new Readiness.Progressing(0, 3));
        var partly = new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(3).withUpdatedReplicas(3)
                .withReadyReplicas(1);
        assertThat(DeploymentReadiness.of(deployment(2, partly))).isEqualTo(new Readiness.Progressing(1, 3));
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
