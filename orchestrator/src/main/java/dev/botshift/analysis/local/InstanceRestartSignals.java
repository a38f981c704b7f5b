package dev.botshift.analysis.local;

import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.ResourceSignals;
import dev.botshift.analysis.RestartReading;
import dev.botshift.analysis.Restarts;
import dev.botshift.workload.local.LocalWorkloads;

/**
 * Green's restarts on the embedded default: each death of one of its bot instances, which the guard replaces (the
 * counterpart of a container Kubernetes restarts, {@code PodRestartSignals}). The router tries a webhook whose
 * connection a dead instance refused on the colour's next instance, so a crash is seen here, by name, rather than as
 * a burst of 502s. Stateless: the judge keeps the counts green started from.
 */
public final class InstanceRestartSignals implements ResourceSignals {
    private final LocalWorkloads workloads;

    public InstanceRestartSignals(LocalWorkloads workloads) {
        this.workloads = workloads;
    }

    @Override
    public RestartReading read(MetricsTarget target) {
        return new RestartReading.Counted(workloads.restarts(target.slot(), target.version()).entrySet().stream()
                .map(at -> Restarts.instance(at.getKey(), at.getValue().times(), at.getValue().how())).toList(),
                "instance");
    }
}
