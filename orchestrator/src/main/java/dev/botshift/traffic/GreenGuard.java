package dev.botshift.traffic;

import dev.botshift.analysis.SequentialTest;
import dev.botshift.core.Slot;

/**
 * What the Botshift router needs to guard green on its own: it runs {@code test} on every answer of {@code slot}
 * (green) and, once the sum reaches {@code threshold}, gives green 0 % itself and records why ({@link GuardTrip}),
 * whether or not anything of the orchestrator is alive. Armed with every split that gives green traffic while blue
 * can take it back; a router that cannot guard ignores it ({@link TrafficRouter#setWeights(dev.botshift.core.Weights,
 * GreenGuard)}).
 *
 * @param slot      where green runs
 * @param rollout   the rollout that armed it (its run id): a trip belongs to that rollout, and only another rollout's
 *                  guard replaces a tripped one
 * @param test      the judge's own hypotheses ({@link dev.botshift.analysis.Judge#sequentialTest})
 * @param threshold the sum at which the router cuts green ({@link #steepThreshold()} for the test's steep sum)
 * @param blueFailingAbove the judge's {@code maxErrorRate}: while blue's own recent answers err above it with 95 %
 *                  confidence, green's errors are a shared cause's (a database, the platform) and the router does not
 *                  cut green for them, as the judge does not roll back for them ("blue is failing too"); 1 for a guard
 *                  that never holds (one stored by an older Botshift)
 */
public record GreenGuard(Slot slot, String rollout, SequentialTest test, double threshold, double blueFailingAbove) {
    /**
     * ln(10⁶), where the judge's interval sum stops at ln(4000): the router adds and checks after every single answer
     * and acts alone, with no second look. At ln(1000), a per-answer sum over a healthy green erring like blue (1 %
     * against a 3 % limit) crossed in 25–48 of 100 simulated runs of 100,000 answers; at ln(10⁶) in none, while a
     * green at 10 % is still cut after about 150 answers (50 %: about 25). Subtler rises are the judge's.
     */
    public static final double THRESHOLD = Math.log(1e6);
    /**
     * What the steep sum ({@link SequentialTest#steep()}, three times the limit) needs beyond {@code threshold}:
     * ln 30, so ln(3 × 10⁷) by default. Each error adds more to it, so it reaches a low threshold on a short burst
     * of a healthy green's errors: at ln(4 × 10⁶) it crossed in 4 of 3,000 simulated healthy runs of 100,000 answers
     * (1 % against a 3 % limit), at ln(3 × 10⁷) in none, like the first sum alone. With it, a green at 10 % is cut after
     * 122 answers on average instead of 156, at 50 % after 18 instead of 26 (same simulation, 2,000 runs each).
     */
    public static final double STEEP_MARGIN = Math.log(30);

    public GreenGuard {
        if (slot == null || rollout == null || test == null) {
            throw new IllegalArgumentException("a guard needs its slot, rollout and test");
        }
    }

    public GreenGuard(Slot slot, String rollout, SequentialTest test, double blueFailingAbove) {
        this(slot, rollout, test, THRESHOLD, blueFailingAbove);
    }

    /** The sum of {@link SequentialTest#steep()} at which the router cuts green. */
    public double steepThreshold() {
        return threshold + STEEP_MARGIN;
    }
}
