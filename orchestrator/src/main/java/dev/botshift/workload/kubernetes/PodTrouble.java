package dev.botshift.workload.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a colour's pods are not ready, in the kubelet's and the scheduler's words: a container waiting for something
 * other than its start ({@code ImagePullBackOff}, {@code CrashLoopBackOff}, {@code CreateContainerConfigError} …), or
 * a pod that cannot be scheduled. What {@code kubectl get pods} would show, told while green comes up rather than
 * found after the progress deadline. Pure: the pods come from the workloads' cache.
 */
final class PodTrouble {
    /** Waiting reasons that are a normal start, not trouble. */
    private static final Set<String> STARTING = Set.of("ContainerCreating", "PodInitializing");
    /** The kubelet's messages can quote a whole pull error: enough of it to act on. */
    private static final int MESSAGE_CHARS = 200;

    private PodTrouble() {
    }

    static Optional<String> of(List<Pod> pods) {
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod pod : sorted) {
            if (pod.getStatus() == null || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String name = "pod " + pod.getMetadata().getName();
            List<ContainerStatus> containers = new ArrayList<>();
            containers.addAll(listed(pod.getStatus().getInitContainerStatuses()));
            containers.addAll(listed(pod.getStatus().getContainerStatuses()));
            for (ContainerStatus c : containers) {
                ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
                if (waiting != null && waiting.getReason() != null && !STARTING.contains(waiting.getReason())) {
                    int restarts = c.getRestartCount() == null ? 0 : c.getRestartCount();
                    return Optional.of(name + " container " + c.getName() + ": " + waiting.getReason()
                            + message(waiting.getMessage()) + (restarts == 0 ? "" : ", " + restarts + " restart(s)"));
                }
            }
            for (PodCondition condition : listed(pod.getStatus().getConditions())) {
                if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                    return Optional.of(name + " cannot be scheduled: "
                            + (condition.getReason() == null ? "not scheduled" : condition.getReason())
                            + message(condition.getMessage()));
                }
            }
        }
        return Optional.empty();
    }

    private static String message(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String oneLine = message.strip().replaceAll("\\s+", " ");
        return " (" + (oneLine.length() > MESSAGE_CHARS ? oneLine.substring(0, MESSAGE_CHARS) + "…" : oneLine) + ")";
    }

    private static <T> List<T> listed(List<T> items) {
        return items == null ? List.of() : items;
    }
}
