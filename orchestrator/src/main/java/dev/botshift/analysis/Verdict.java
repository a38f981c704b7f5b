package dev.botshift.analysis;

/** The judge's answer for one interval: a closed set. */
public sealed interface Verdict {
    String reason();

    /** The verdict's kind, as stored in the audit trail and shown by the displays. */
    Kind kind();

    enum Kind { PASS, FAIL, INCONCLUSIVE, PROVIDER_ERROR }

    record Pass(String reason) implements Verdict {
        public Kind kind() {
            return Kind.PASS;
        }
    }

    /**
     * @param weight   how many ordinary failed verdicts this one is worth: 1, or more when one interval alone is as
     *                 unlikely under a healthy green as that many failed intervals in a row (see {@link Judge})
     * @param decisive the sequential test crossed its threshold: it bounds its own false alarms (α), so this verdict
     *                 rolls back on its own, whatever {@code failureLimit} says
     */
    record Fail(String reason, int weight, boolean decisive) implements Verdict {
        public Fail {
            if (weight < 1) {
                throw new IllegalArgumentException("a failed verdict weighs at least 1, got " + weight);
            }
        }

        public Fail(String reason, int weight) {
            this(reason, weight, false);
        }

        public Fail(String reason) {
            this(reason, 1);
        }

        public Kind kind() {
            return Kind.FAIL;
        }
    }

    /** not enough evidence either way (e.g. too few requests); never fails a release */
    record Inconclusive(String reason) implements Verdict {
        public Kind kind() {
            return Kind.INCONCLUSIVE;
        }
    }

    /** the metrics could not be read */
    record ProviderError(String reason) implements Verdict {
        public Kind kind() {
            return Kind.PROVIDER_ERROR;
        }
    }
}
