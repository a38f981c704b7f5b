package dev.botshift.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the judge carries from one interval to the next.
 *
 * @param cusum            the one-sided CUSUM of the log-likelihood ratio "green's error rate is at the limit"
 *                         against "green's error rate is at the baseline"; never negative
 * @param steepCusum       the same sum for {@link SequentialTest#steep()}'s alternative (three times the limit)
 * @param baselineRequests blue's requests summed over the step so far, and over the step before it where blue served
 *                         in both ({@code carriedRequests}): one interval of blue is too noisy to be a baseline (an
 *                         interval without a single blue error would make every green error look damning), and so is
 *                         a step's first look (see {@link #newStep})
 * @param baselineErrors   blue's errors summed the same way
 * @param baselineLatency  blue's latencies since the rollout's first step: unlike its error rate, blue's latency
 *                         does not depend on its share of the traffic, and a step of a few seconds would give a p99
 *                         too few requests; null while none were measured
 * @param thresholdMargin  how much higher than {@link Judge#CUSUM_THRESHOLD} and {@link Judge#STEEP_THRESHOLD} the
 *                         last judgement held the sums to: 0 where they were read once an interval, the looked margin
 *                         ({@link Judge#lookedMargin}) where they walked the looks into it
 * @param carriedRequests  the part of {@code baselineRequests} that is the step before's: what the next step drops
 * @param carriedErrors    the part of {@code baselineErrors} that is the step before's
 * @param failingBlue      the part of blue last seen failing by itself (a shared cause), kept while blue has answered
 *                         too little since to tell ({@code blueSince}); null when blue was not, or has recovered
 * @param blueSince        blue's answers since {@code failingBlue}, fewer than {@code minRequests} (unless they fail
 *                         too); null when none, and with it
 */
public record JudgeMemory(double cusum, double steepCusum, long baselineRequests, long baselineErrors,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Latencies baselineLatency,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) double thresholdMargin,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) long carriedRequests,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) long carriedErrors,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Counts failingBlue,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Counts blueSince) {
    public static final JudgeMemory EMPTY = new JudgeMemory(0, 0, 0, 0, null);

    /**
     * A sum that is not a number carries no evidence and restarts at 0: a Botshift before 2026-12-07 turned both sums
     * NaN for good under a blue failing above two thirds ({@link SequentialTest#against}), and a rollout it stored so
     * is resumed by this one.
     */
    public JudgeMemory {
        cusum = Double.isFinite(cusum) ? cusum : 0;
        steepCusum = Double.isFinite(steepCusum) ? steepCusum : 0;
    }

    public JudgeMemory(double cusum, double steepCusum, long baselineRequests, long baselineErrors,
                       Latencies baselineLatency) {
        this(cusum, steepCusum, baselineRequests, baselineErrors, baselineLatency, 0, 0, 0);
    }

    public JudgeMemory(double cusum, double steepCusum, long baselineRequests, long baselineErrors,
                       Latencies baselineLatency, double thresholdMargin, long carriedRequests, long carriedErrors) {
        this(cusum, steepCusum, baselineRequests, baselineErrors, baselineLatency, thresholdMargin, carriedRequests,
                carriedErrors, null, null);
    }

    public JudgeMemory(double cusum, long baselineRequests, long baselineErrors) {
        this(cusum, 0, baselineRequests, baselineErrors, null);
    }

    /**
     * How far the sequential test has come towards its decision: the larger of the two sums, each as a share of the
     * threshold the last judgement held it to (1 or more: decisive).
     */
    public double evidence() {
        return Math.max(cusum / (Judge.CUSUM_THRESHOLD + thresholdMargin),
                steepCusum / (Judge.STEEP_THRESHOLD + thresholdMargin));
    }

    /**
     * This memory after an interval: the sums and the margin it held them to, blue's baseline now {@code requests} and
     * {@code errors} (what was carried from the step before stays a part of them), blue's latencies so far.
     */
    JudgeMemory next(double cusum, double steepCusum, long requests, long errors, Latencies latency, double margin) {
        return new JudgeMemory(cusum, steepCusum, requests, errors, latency, margin, carriedRequests, carriedErrors,
                failingBlue, blueSince);
    }

    /** This memory with what it knows of a blue failing by itself ({@code failingBlue}, {@code blueSince}). */
    JudgeMemory withBlue(Counts failing, Counts since) {
        return new JudgeMemory(cusum, steepCusum, baselineRequests, baselineErrors, baselineLatency, thresholdMargin,
                carriedRequests, carriedErrors, failing, since);
    }

    /**
     * A new step: the evidence against green stays (a spike building up does not vanish because the clock moved green
     * on), blue's latency baseline stays, and blue's error baseline starts again (its share changed), but for the step
     * that just ended, which it carries through the new step when blue serves in both. A step's first looks hold some
     * thirty of blue's requests: a rate read from them (one error in thirty: 4.8 %) made green's test weigh a 10 %
     * spike as little more than noise, until the step had its own blue (benchmark part 12, part 2's rollout simulated
     * at 400 messages/s: a 10 % spike's reaction p95 1.78 s started again, 1.70 s carried; 3.13 and 2.92 s at 200;
     * false rollbacks 27 and 27 of 100,000 healthy rollouts, 58 and 52 at 200). Nothing is carried into green's 100 % or past it: blue's rate at a share
     * it no longer has is not what green is held to there.
     *
     * @param blueServes whether blue still gets traffic in the new step
     */
    public JudgeMemory newStep(boolean blueServes) {
        long ownRequests = baselineRequests - carriedRequests;
        long ownErrors = baselineErrors - carriedErrors;
        // a shared cause does not end with the step; where blue gets nothing more, nothing can show it ended
        return blueServes
                ? new JudgeMemory(cusum, steepCusum, ownRequests, ownErrors, baselineLatency, thresholdMargin,
                        ownRequests, ownErrors, failingBlue, blueSince)
                : new JudgeMemory(cusum, steepCusum, 0, 0, baselineLatency, thresholdMargin, 0, 0);
    }
}
