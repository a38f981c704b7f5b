package dev.botshift.analysis;

/**
 * The latency half of the judge ({@code analysis.latency}), with the care the error rule takes: a p99 limit is a
 * limit on the share of requests slower than it (1 %), so green fails only when a green at that share would show as
 * many slower requests with probability below 5 % (exact binomial tail), never on a p99 estimated from a handful of
 * requests. The limit is
 * {@code min(p99Max, blue's p99 × (1 + maxIncreaseOverBaseline))}, blue's p99 taken from its requests since the
 * first step began ({@link JudgeMemory#baselineLatency}) at its 95 % upper confidence bound ({@link #upperRank}), once
 * it has at least {@link #MIN_BASELINE} (a p99 of fewer is a guess). Pure: no I/O, no clock.
 */
final class LatencyRule {
    /** Blue's requests before its p99 is a baseline: a 99th percentile needs a hundred to exist. */
    static final long MIN_BASELINE = 100;
    /** Green fails when a green at the limit would show as many slower requests with less than this probability. */
    static final double SIGNIFICANCE = 0.05;

    private LatencyRule() {
    }

    /**
     * The rank whose quantile is blue's p99 at the 95 % upper confidence bound (normal approximation of the share of
     * blue's requests below its true p99): a p99 read from a few hundred requests is as often too low as too high,
     * and a limit built on one too low would fail a healthy green. With 300 requests this is the 99.94th
     * percentile, with 30 000 the 99.1st.
     */
    static double upperRank(long n, double z) {
        return Math.min(0.9999, 0.99 + z * Math.sqrt(0.99 * 0.01 / n));
    }

    /**
     * @param text    what was measured, for the verdict's reason: green's and blue's p99, the limit, the sample
     * @param failure null unless green is too slow
     */
    record Check(String text, Verdict.Fail failure) {
    }

    /** @return null when the plan sets no latency limit or nothing could be judged (see {@code text} otherwise) */
    static Check check(LatencyLimits limits, Latencies green, Latencies baseline, double[] weightTails, double z) {
        if (limits == null) {
            return null;
        }
        if (green == null) {
            return new Check("no latency measured for green", null);
        }
        boolean hasBaseline = limits.relative() && baseline != null && baseline.total() >= MIN_BASELINE;
        double blueP99 = hasBaseline ? baseline.quantile(upperRank(baseline.total(), z)) : Double.NaN;
        double limit = Double.POSITIVE_INFINITY;
        if (limits.absolute()) {
            limit = limits.p99MaxSeconds();
        }
        if (hasBaseline) {
            limit = Math.min(limit, blueP99 * (1 + limits.maxIncreaseOverBaseline()));
        }
        long n = green.total();
        String measured = "p99 green " + Latencies.format(green.quantile(0.99)) + " of " + n
                + (hasBaseline ? ", blue " + Latencies.format(blueP99) + " of " + baseline.total() : "");
        if (Double.isInfinite(limit)) {
            return new Check(measured + ", no limit yet (blue has " + (baseline == null ? 0 : baseline.total())
                    + " of the " + MIN_BASELINE + " requests a baseline p99 needs)", null);
        }
        long slower = green.slowerThan(limit);
        String text = measured + ", limit " + Latencies.format(limit);
        // An exact binomial tail, not the Wilson bound the error rule uses: at a 1 % share and a hundred requests the
        // Wilson bound is too lenient (3 slower of 100 failed: 2 of 1,000 healthy simulated rollouts were rolled back
        // by it, benchmarks part 6)
        double tail = n == 0 ? 1 : Judge.binomialUpperTail(slower, n, LatencyLimits.TAIL);
        if (tail >= SIGNIFICANCE) {
            return new Check(text, null);
        }
        int weight = 1;
        while (weight <= weightTails.length && tail < weightTails[weight - 1]) {
            weight++;
        }
        return new Check(text, new Verdict.Fail("green is too slow: " + text + "; " + slower + " of " + n
                + " green requests slower than the limit where 1% may be (a green within it shows as many with"
                + " probability " + String.format(java.util.Locale.ROOT, "%.2g", tail) + ")"
                + (weight > 1 ? " (so clear that it counts as " + weight + " failures)" : ""), weight));
    }
}
