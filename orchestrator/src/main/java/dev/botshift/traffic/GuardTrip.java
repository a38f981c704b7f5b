package dev.botshift.traffic;

import java.time.Instant;
import java.util.Locale;

/**
 * Why the router cut green to 0 % on its own: its sequential test on green's answers reached the threshold.
 *
 * @param at        when the router cut green
 * @param requests  green's answers the test weighed since the guard was armed (valid updates and 5xx answers)
 * @param errors    of which 5xx (a bot's handler error answered 200 is not visible to the router)
 * @param statistic the sum when it crossed
 * @param p0        the healthy error rate it was armed with
 * @param p1        the error rate the sum that crossed tests for: the limit, or three times it (the steep sum)
 * @param threshold that sum's threshold
 */
public record GuardTrip(Instant at, long requests, long errors, double statistic, double p0, double p1,
                        double threshold) {

    /** One line for people: the counts, the rate and the test that decided. */
    public String describe() {
        return String.format(Locale.ROOT, "the router's guard cut green to 0%% at %s: %d errors in %d green answers"
                        + " (%.1f%%), sequential test %.1f >= %.1f (healthy %.1f%%, against %.1f%%)", at, errors, requests,
                requests == 0 ? 0.0 : 100.0 * errors / requests, statistic, threshold, 100 * p0, 100 * p1);
    }
}
