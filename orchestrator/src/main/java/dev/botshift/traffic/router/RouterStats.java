package dev.botshift.traffic.router;

import dev.botshift.core.Colour;

import java.util.Map;

/** What the router has seen per colour since it started. */
public record RouterStats(Map<Colour, ColourStats> colours) {

    public RouterStats {
        colours = Map.copyOf(colours);
    }

    public ColourStats of(Colour colour) {
        return colours.getOrDefault(colour, ColourStats.NONE);
    }

    /**
     * @param requests      requests answered for this colour (by its backends, or by the router with a 502/504)
     * @param serverErrors  of which answered with a 5xx status
     * @param p50Seconds    median latency, estimated from the histogram buckets; 0 without requests
     * @param p99Seconds    99th percentile latency, estimated the same way
     */
    public record ColourStats(long requests, long serverErrors, double p50Seconds, double p99Seconds) {
        public static final ColourStats NONE = new ColourStats(0, 0, 0, 0);
    }
}
