package dev.botshift.workload.kubernetes;

import dev.botshift.workload.Readiness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Objects;

/** Reads a Deployment's status the way {@code kubectl rollout status} does; pure, so it is tested without a cluster. */
final class DeploymentReadiness {
    static final String DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    private DeploymentReadiness() {
    }

    static Readiness of(Deployment deployment) {
        if (deployment == null) {
            return new Readiness.Absent();
        }
        int desired = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        DeploymentStatus status = deployment.getStatus();
        if (status == null) {
            return new Readiness.Progressing(0, desired);
        }
        Long generation = deployment.getMetadata().getGeneration();
        // Status written for an older spec says nothing about the current one (e.g. ready pods of the previous image).
        boolean current = generation == null || Objects.equals(status.getObservedGeneration(), generation);
        if (!current) {
            return new Readiness.Progressing(0, desired);
        }
        if (status.getConditions() != null) {
            for (DeploymentCondition c : status.getConditions()) {
                if ("Progressing".equals(c.getType()) && DEADLINE_EXCEEDED.equals(c.getReason())) {
                    String name = deployment.getMetadata().getName();
                    return new Readiness.Failed(name + ": " + DEADLINE_EXCEEDED
                            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
                }
            }
        }
        int ready = status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        int updated = status.getUpdatedReplicas() == null ? ready : status.getUpdatedReplicas();
        if (ready == desired && updated >= desired) {
            return new Readiness.Ready(desired);
        }
        return new Readiness.Progressing(Math.min(ready, updated), desired);
    }
}
