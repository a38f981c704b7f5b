package dev.botshift.rollout;

import dev.botshift.analysis.MetricsProvider;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.workload.Workloads;

/** The seams a rollout is driven through; the platform factory assembles them. */
public record Ports(SchemaMigrator schema, Workloads workloads, TrafficRouter router, MetricsProvider metrics,
                    StateStore store, Repairs repairs) {
    /** A platform that repairs nothing on its own (or whose repairs others report, as Kubernetes does). */
    public Ports(SchemaMigrator schema, Workloads workloads, TrafficRouter router, MetricsProvider metrics,
                 StateStore store) {
        this(schema, workloads, router, metrics, store, Repairs.NONE);
    }
}
