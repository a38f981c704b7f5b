package dev.botshift.analysis;

/**
 * The rollout's failure rule, in one place (the decider, the judge's tests and the benchmark's simulation use it):
 * failed verdicts count with their weight, in a row and in all; a pass ends the run in a row; an inconclusive verdict
 * or a provider error changes nothing (no evidence either way); a decisive one (the sequential test crossed its
 * threshold) fails the rollout by itself.
 *
 * @param inARow   weighted failed verdicts since the last pass
 * @param inAll    weighted failed verdicts in the whole rollout
 * @param decisive a decisive failed verdict was seen (absent in state files written before it existed: false)
 */
public record FailureTally(int inARow, int inAll, boolean decisive) {
    public static final FailureTally NONE = new FailureTally(0, 0, false);

    public FailureTally(int inARow, int inAll) {
        this(inARow, inAll, false);
    }

    /** The tally after one more verdict. */
    public FailureTally after(Verdict verdict) {
        if (verdict instanceof Verdict.Fail f) {
            return new FailureTally(inARow + f.weight(), inAll + f.weight(), decisive || f.decisive());
        }
        return verdict instanceof Verdict.Pass ? new FailureTally(0, inAll, decisive) : this;
    }

    /**
     * Whether the rollout has failed: a decisive verdict, {@code failureLimit} in a row, or
     * {@code cumulativeFailureLimit} in all.
     */
    public boolean exceeds(int failureLimit, int cumulativeFailureLimit) {
        return decisive || inARow >= failureLimit || inAll >= cumulativeFailureLimit;
    }

    /** A new step: the run in a row starts again, the total stays. */
    public FailureTally newStep() {
        return new FailureTally(0, inAll, decisive);
    }

    /** For reasons: "2 failures in a row, 3 in all" (a failed verdict can weigh more than one). */
    public String describe() {
        return (decisive ? "the sequential test is decisive; " : "")
                + (inARow == 1 ? "1 failure" : inARow + " failures") + " in a row, " + inAll + " in all";
    }
}
