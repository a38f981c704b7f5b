package dev.botshift.analysis;

/** What a check's provider said about one colour. "No data" and "unreachable" are different answers. */
public sealed interface CheckReading {
    /** An instant value (a PromQL query: its window is in the query). */
    record Value(double value) implements CheckReading { }

    /** Two counters, cumulative since the colour started: the judge takes their increases over a window. */
    record Counted(Ratio cumulative) implements CheckReading { }

    /** the provider answered, but has no series for the colour */
    record NoData(String why) implements CheckReading { }

    /** the provider could not be asked */
    record Unreachable(String why) implements CheckReading { }
}
