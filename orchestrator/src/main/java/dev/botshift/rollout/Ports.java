package dev.botshift.rollout;

import dev.botshift.analysis.CheckProvider;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.ResourceSignals;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.workload.Workloads;

/**
 * The seams a rollout is driven through; the platform factory assembles them.
 *
 * @param checks    reads the plan's custom checks ({@code analysis.metrics})
 * @param resources green's restarts (a pod's containers on Kubernetes, the instances on the embedded default);
 *                  {@link ResourceSignals#NONE} in tests that judge without them
 */
public record Ports(SchemaMigrator schema, Workloads workloads, TrafficRouter router, MetricsProvider metrics,
                    StateStore store, Repairs repairs, CheckProvider checks, ResourceSignals resources) {

    /** Without custom checks or resource signals. */
    public Ports(SchemaMigrator schema, Workloads workloads, TrafficRouter router, MetricsProvider metrics,
                 StateStore store, Repairs repairs) {
        this(schema, workloads, router, metrics, store, repairs, CheckProvider.NONE, ResourceSignals.NONE);
    }

    /** A platform that repairs nothing on its own (or whose repairs others report, as Kubernetes does). */
    public Ports(SchemaMigrator schema, Workloads workloads, TrafficRouter router, MetricsProvider metrics,
                 StateStore store) {
        this(schema, workloads, router, metrics, store, Repairs.NONE);
    }
}
