package dev.botshift.analysis;

/** What a metrics provider could say about one colour. "No data" and "unreachable" are different answers. */
public sealed interface Observation {
    /**
     * Cumulative counters since the colour started.
     *
     * @param missing a source of errors that could not be read this time (null: none); the errors are then a lower
     *                bound, enough to fail green but never to pass it, nor to stand as blue's baseline
     */
    record Measured(Counts counts, String missing) implements Observation {
        public Measured(Counts counts) {
            this(counts, null);
        }

        /** Every source of errors was read. */
        public boolean complete() {
            return missing == null;
        }
    }

    /** the provider answered, but has no series for the colour */
    record NoData(String why) implements Observation { }

    /** the provider could not be asked */
    record Unreachable(String why) implements Observation { }
}
