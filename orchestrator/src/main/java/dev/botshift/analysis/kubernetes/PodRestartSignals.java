package dev.botshift.analysis.kubernetes;

import dev.botshift.analysis.Restarts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.RestartReading;
import dev.botshift.analysis.ResourceSignals;
import dev.botshift.kubernetes.Names;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Green's pods' restarts and OOM kills, from the containers' status the kubelet writes: one list of the colour's
 * pods at its version per interval (the {@code pods list} the workloads adapter's RBAC already grants). Stateless:
 * the judge keeps the counts green started from.
 *
 * <p>A container the kubelet has just killed and not yet started again ({@code state.terminated}) counts as
 * restarted already, so an OOM kill is seen in the interval it happens, not after the back-off.
 */
public final class PodRestartSignals implements ResourceSignals {
    private final KubernetesClient client;
    private final String namespace;
    private final String app;

    public PodRestartSignals(KubernetesClient client, String namespace, String app) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
    }

    @Override
    public RestartReading read(MetricsTarget target) {
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(namespace).withLabels(Map.of(Names.APP_LABEL, app,
                    Names.SLOT_LABEL, target.slot().label(), Names.VERSION_LABEL, target.version())).list().getItems();
        } catch (KubernetesClientException e) {
            return new RestartReading.Unreachable("the pods of " + target.version() + " in namespace " + namespace
                    + " could not be listed: " + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "") + e.getMessage());
        }
        List<Restarts> containers = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                    || pod.getMetadata().getDeletionTimestamp() != null) {
                continue; // not started yet, or going away: its end is a scale-down, not a crash
            }
            for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
                containers.add(restarts(pod.getMetadata().getName(), c));
            }
        }
        return new RestartReading.Counted(containers, "container");
    }

    private static Restarts restarts(String pod, ContainerStatus c) {
        int restarts = c.getRestartCount() == null ? 0 : c.getRestartCount();
        String last = terminated(c.getLastState());
        String now = terminated(c.getState());
        if (now != null) {
            restarts++;
            last = now;
        }
        return Restarts.container(pod, c.getName(), restarts, last);
    }

    /** Why the container ended, or null when it did not: the reason, else its exit code. */
    private static String terminated(ContainerState state) {
        if (state == null || state.getTerminated() == null) {
            return null;
        }
        var t = state.getTerminated();
        return t.getReason() != null ? t.getReason() : "exit code " + t.getExitCode();
    }
}
