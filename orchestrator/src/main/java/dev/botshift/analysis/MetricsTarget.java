package dev.botshift.analysis;

import dev.botshift.core.Colour;

/**
 * What one metrics query is about: the instances running in {@code colour}, at {@code version}. Providers that
 * count per instance (the router, the bots' own counters) use the colour; Prometheus series also carry the version.
 */
public record MetricsTarget(Colour colour, String version) {
}
