package dev.botshift.rollout;

import dev.botshift.analysis.MetricsProvider;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.workload.Workloads;

/** The seams a rollout is driven through; the platform factory assembles them. */
public record Ports(SchemaMigrator schema, Workloads workloads, TrafficRouter router, MetricsProvider metrics,
                    StateStore store) {
}
