package dev.botshift.analysis;

/**
 * The plan's {@code analysis.latency}: green's 99th percentile must stay under an absolute limit and/or within a
 * share above blue's.
 *
 * @param p99MaxSeconds           green fails when its p99 is above this (seconds); 0: no absolute limit
 * @param maxIncreaseOverBaseline green fails when its p99 is above blue's by more than this share (0.2 = 20 %);
 *                                negative: no relative limit
 */
public record LatencyLimits(double p99MaxSeconds, double maxIncreaseOverBaseline) {
    /** The share of requests allowed above a p99 limit. */
    public static final double TAIL = 0.01;

    public boolean absolute() {
        return p99MaxSeconds > 0;
    }

    public boolean relative() {
        return maxIncreaseOverBaseline >= 0;
    }
}
