package dev.botshift.analysis;

/**
 * The judge's limits (from the plan's {@code analysis} block).
 *
 * @param maxErrorRate            absolute limit for green's error rate
 * @param maxIncreaseOverBaseline green may exceed blue's rate by at most this much
 * @param minRequests             below this many green requests in an interval the verdict is inconclusive
 * @param latency                 the latency limits, or null when the plan sets none
 */
public record JudgeSettings(double maxErrorRate, double maxIncreaseOverBaseline, int minRequests,
                            LatencyLimits latency) {

    public JudgeSettings(double maxErrorRate, double maxIncreaseOverBaseline, int minRequests) {
        this(maxErrorRate, maxIncreaseOverBaseline, minRequests, null);
    }
}
