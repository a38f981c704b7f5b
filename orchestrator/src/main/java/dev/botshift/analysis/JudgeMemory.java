package dev.botshift.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the judge carries from one interval to the next.
 *
 * @param cusum            the one-sided CUSUM of the log-likelihood ratio "green's error rate is at the limit"
 *                         against "green's error rate is at the baseline"; never negative
 * @param steepCusum       the same sum for {@link SequentialTest#steep()}'s alternative (three times the limit)
 * @param baselineRequests blue's requests summed over the step so far: one interval of blue is too noisy to be a
 *                         baseline (an interval without a single blue error would make every green error look damning)
 * @param baselineErrors   blue's errors summed the same way
 * @param baselineLatency  blue's latencies since the rollout's first step: unlike its error rate, blue's latency
 *                         does not depend on its share of the traffic, and a step of a few seconds would give a p99
 *                         too few requests; null while none were measured
 * @param thresholdMargin  how much higher than {@link Judge#CUSUM_THRESHOLD} and {@link Judge#STEEP_THRESHOLD} the
 *                         last judgement held the sums to: 0 where they were read once an interval, the looked margin
 *                         ({@link Judge#lookedMargin}) where they walked the looks into it
 */
public record JudgeMemory(double cusum, double steepCusum, long baselineRequests, long baselineErrors,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Latencies baselineLatency,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) double thresholdMargin) {
    public static final JudgeMemory EMPTY = new JudgeMemory(0, 0, 0, 0, null);

    public JudgeMemory(double cusum, double steepCusum, long baselineRequests, long baselineErrors,
                       Latencies baselineLatency) {
        this(cusum, steepCusum, baselineRequests, baselineErrors, baselineLatency, 0);
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
     * A new step: the evidence against green stays (a spike building up does not vanish because the clock moved green
     * on), blue's error baseline starts again (its share changed), its latency baseline stays.
     */
    public JudgeMemory newStep() {
        return new JudgeMemory(cusum, steepCusum, 0, 0, baselineLatency, thresholdMargin);
    }
}
