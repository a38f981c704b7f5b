package dev.botshift.analysis;

/** What a metrics provider could say about one colour. "No data" and "unreachable" are different answers. */
public sealed interface Observation {
    /** cumulative counters since the colour started */
    record Measured(Counts counts) implements Observation { }

    /** the provider answered, but has no series for the colour */
    record NoData(String why) implements Observation { }

    /** the provider could not be asked */
    record Unreachable(String why) implements Observation { }
}
