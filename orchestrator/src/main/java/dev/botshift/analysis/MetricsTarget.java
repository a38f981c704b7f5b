package dev.botshift.analysis;

import dev.botshift.core.Slot;

/**
 * What one metrics query is about: the instances running in {@code colour}, at {@code version}. Providers that
 * count per instance (the router, the bots' own counters) use the colour; Prometheus series also carry the version.
 */
public record MetricsTarget(Slot slot, String version) {
}
