package dev.botshift.workload.kubernetes;

import dev.botshift.core.VisibleText;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Why a colour's pods are not ready, in the kubelet's and the scheduler's words: a container waiting for something
 * other than its start ({@code ImagePullBackOff}, {@code CrashLoopBackOff}, {@code CreateContainerConfigError} …), a
 * pod that cannot be scheduled, or a container running whose readiness probe has not passed (with what the probe
 * answered, when the kubelet's Event says). What {@code kubectl get pods} would show, told while green comes up rather
 * than found after the progress deadline. Pure: the pods come from the workloads' cache, the probes' answers from the
 * caller ({@link ProbeAnswers}).
 */
final class PodTrouble {
    /** Waiting reasons that are a normal start, not trouble. */
    private static final Set<String> STARTING = Set.of("ContainerCreating", "PodInitializing");
    /** The kubelet's messages can quote a whole pull error: enough of it to act on. */
    private static final int MESSAGE_CHARS = 200;

    private PodTrouble() {
    }

    /**
     * The worst trouble of {@code pods}: a waiting container, else an unschedulable pod, else a probe not passed.
     *
     * @param probeAnswers a pod's name to what its readiness probe last answered, if known
     */
    static Optional<String> of(List<Pod> pods, Function<String, Optional<String>> probeAnswers) {
        List<Pod> present = pods.stream().filter(p -> p.getStatus() != null
                && p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        for (Pod pod : present) {
            for (ContainerStatus c : containers(pod)) {
                ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
                if (waiting != null && waiting.getReason() != null && !STARTING.contains(waiting.getReason())) {
                    int restarts = c.getRestartCount() == null ? 0 : c.getRestartCount();
                    return Optional.of(name(pod) + " container " + c.getName() + ": " + waiting.getReason()
                            + message(waiting.getMessage()) + (restarts == 0 ? "" : ", " + restarts + " restart(s)"));
                }
            }
        }
        for (Pod pod : present) {
            for (PodCondition condition : listed(pod.getStatus().getConditions())) {
                if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                    return Optional.of(name(pod) + " cannot be scheduled: "
                            + (condition.getReason() == null ? "not scheduled" : condition.getReason())
                            + message(condition.getMessage()));
                }
            }
        }
        for (Pod pod : present) {
            for (ContainerStatus c : listed(pod.getStatus().getContainerStatuses())) {
                if (c.getState() != null && c.getState().getRunning() != null && !Boolean.TRUE.equals(c.getReady())) {
                    // the probe's own answer is in the pod's Events, not its status
                    String podName = pod.getMetadata().getName();
                    return Optional.of(name(pod) + " container " + c.getName() + " runs, not ready: "
                            + probeAnswers.apply(podName).map(PodTrouble::oneLine)
                            .orElse("its readiness probe has not passed (kubectl describe pod " + podName + ")"));
                }
            }
        }
        return Optional.empty();
    }

    private static String name(Pod pod) {
        return "pod " + pod.getMetadata().getName();
    }

    private static List<ContainerStatus> containers(Pod pod) {
        List<ContainerStatus> all = new ArrayList<>(listed(pod.getStatus().getInitContainerStatuses()));
        all.addAll(listed(pod.getStatus().getContainerStatuses()));
        return all;
    }

    private static String message(String message) {
        return message == null || message.isBlank() ? "" : " (" + oneLine(message) + ")";
    }

    /** A kubelet's message on one line, cut to {@link #MESSAGE_CHARS}. */
    private static String oneLine(String message) {
        return VisibleText.cut(message.strip().replaceAll("\\s+", " "), MESSAGE_CHARS);
    }

    private static <T> List<T> listed(List<T> items) {
        return items == null ? List.of() : items;
    }
}
