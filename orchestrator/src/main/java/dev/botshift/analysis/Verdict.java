package dev.botshift.analysis;

/** The judge's answer for one interval: a closed set. */
public sealed interface Verdict {
    String reason();

    record Pass(String reason) implements Verdict { }

    /**
     * @param weight how many ordinary failed verdicts this one is worth: 1, or more when one interval alone is as
     *               unlikely under a healthy green as that many failed intervals in a row (see {@link Judge})
     */
    record Fail(String reason, int weight) implements Verdict {
        public Fail {
            if (weight < 1) {
                throw new IllegalArgumentException("a failed verdict weighs at least 1, got " + weight);
            }
        }

        public Fail(String reason) {
            this(reason, 1);
        }
    }

    /** not enough evidence either way (e.g. too few requests); never fails a release */
    record Inconclusive(String reason) implements Verdict { }

    /** the metrics could not be read */
    record ProviderError(String reason) implements Verdict { }
}
