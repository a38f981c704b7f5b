package dev.botshift.workload.kubernetes;

import dev.botshift.workload.Readiness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * Reads a Deployment's status the way {@code kubectl rollout status} does (kubectl's {@code DeploymentStatusViewer}):
 * not ready while the controller has not observed the current generation, while fewer replicas than desired run
 * the current pod template, while old replicas are still there ({@code replicas > updatedReplicas}: an old pod may
 * still be serving), or while fewer updated replicas are <em>available</em> than updated ({@code availableReplicas}
 * counts a pod only once it has been ready for {@code minReadySeconds}; {@code readyReplicas} does not). Pure, so
 * it is tested without a cluster.
 */
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
            return new Readiness.Progressing(0, desired, "the Deployment has no status yet");
        }
        Long generation = deployment.getMetadata().getGeneration();
        Long observed = status.getObservedGeneration();
        // Status written for an older spec says nothing about the current one (e.g. ready pods of the previous image).
        if (generation != null && (observed == null || observed < generation)) {
            return new Readiness.Progressing(0, desired, "the Deployment's status is for an older spec ("
                    + (observed == null ? "generation " + generation + " not observed yet"
                    : "generation " + observed + " of " + generation) + ")");
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
        int updated = count(status.getUpdatedReplicas());
        int total = count(status.getReplicas());
        int available = count(status.getAvailableReplicas());
        if (updated < desired || total > updated || available < updated) {
            // available counts old pods too: at least this many of the updated ones are available
            int availableUpdated = Math.max(0, Math.min(available, updated) - Math.max(0, total - updated));
            return new Readiness.Progressing(Math.min(availableUpdated, Math.max(0, desired - 1)), desired,
                    updated + " updated, " + available + " available, " + total + " pods in all");
        }
        return new Readiness.Ready(desired);
    }

    private static int count(Integer n) {
        return n == null ? 0 : n;
    }
}
