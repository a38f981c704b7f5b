package dev.botshift.analysis;

/**
 * The sequential test on green's errors, one rule for both places that run it: the {@link Judge} sums it over
 * intervals, the Botshift router's guard request by request. It weighs "green errs at {@code p1}" against "green errs
 * at {@code p0}" (Page's CUSUM of the log-likelihood ratio): each error adds {@link #errorStep()}, each success adds
 * {@link #successStep()} (negative), the sum never goes below 0, and crossing the threshold is the alarm.
 *
 * @param p0 the error rate of a healthy green: blue's, but at least a third of the limit
 * @param p1 the error rate that must be caught: the limit, at least 1.5 × {@code p0}, at most halfway from it to 1
 */
public record SequentialTest(double p0, double p1) {
    /** Floor for the baseline rate, so a perfect blue does not make the likelihood ratio infinite. */
    static final double MIN_BASELINE = 0.001;
    /** How much steeper {@link #steep()}'s alternative is than the limit. */
    static final double STEEP_FACTOR = 3;
    /** The highest rate {@link #steep()} tests for: past it, every error is already strong evidence. */
    static final double STEEP_CAP = 0.5;

    /** Both steps are finite only for {@code 0 < p0 < p1 < 1}: anything else would turn the sums NaN or infinite. */
    public SequentialTest {
        if (!(p0 > 0 && p0 < p1 && p1 < 1)) {
            throw new IllegalArgumentException("a sequential test needs 0 < p0 < p1 < 1, not p0 " + p0 + ", p1 " + p1);
        }
    }

    /**
     * The hypotheses for green's error {@code limit}: "errs like blue" ({@code baselineRate}; NaN while blue has no
     * baseline) against "errs at the limit". The healthy rate is at least a third of the limit: the sum drifts up for
     * any green above a point between the two rates (about 0.6 × the limit at a third), and with a near-perfect blue
     * (0 errors in 801: p0 at the 0.1 % floor) that point fell to 0.66 % under a limit of 2.1 %, so a green erring
     * 1 %, well inside "blue + maxIncreaseOverBaseline", was rolled back (benchmark part 2's first healthy trial,
     * 2026-12-03). Where blue errs like a third of the limit or more (1 % under 3 %) nothing changes.
     *
     * <p>The alternative stays below 1, at most halfway from {@code p0} to 1: a blue failing by itself (a shared
     * outage) makes the limit blue's rate plus the allowed increase, and 1.5 × a blue at 80 % is no error rate. The
     * success step was then the log of a negative number: both sums turned NaN, stayed NaN for the rest of the rollout
     * (the sum never decided again, whatever green did after the outage), and a guard armed with such a test was
     * refused by the router (measured 2026-12-07: blue 240 errors in 300, then green at 50 % not decisive).
     */
    public static SequentialTest against(double limit, double baselineRate) {
        double p0 = Math.max(Math.max(Double.isNaN(baselineRate) ? 0 : baselineRate, limit / 3), MIN_BASELINE);
        return new SequentialTest(p0, Math.min(Math.max(limit, p0 * 1.5), (1 + p0) / 2));
    }

    /**
     * The same test against a rise three times the limit ({@code p1 × 3}, at most 50 %), run beside this one. A sum
     * tuned to the limit is the quickest to catch a green just above it, but it learns slowly from a spike far above
     * it: each error adds only ln(p1/p0). Tuned to 1 % → 9 %, an error adds ln 9 instead of ln 3, and a green at 10 %
     * is caught after about two thirds of the requests (Page's CUSUM with unknown size of change: a small bank of
     * alternatives, each at its own threshold, comes close to knowing the size).
     */
    public SequentialTest steep() {
        return new SequentialTest(p0, Math.max(p1, Math.min(STEEP_CAP, p1 * STEEP_FACTOR)));
    }

    /** What one error adds to the sum. */
    public double errorStep() {
        return Math.log(p1 / p0);
    }

    /** What one success adds to the sum (negative: healthy traffic drifts the sum back to 0). */
    public double successStep() {
        return Math.log((1 - p1) / (1 - p0));
    }

    /** The log-likelihood ratio of {@code errors} among {@code requests}. */
    public double logLikelihoodRatio(long requests, long errors) {
        return errors * errorStep() + (requests - errors) * successStep();
    }
}
