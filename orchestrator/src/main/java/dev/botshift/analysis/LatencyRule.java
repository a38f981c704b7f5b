package dev.botshift.analysis;

/**
 * The latency half of the judge ({@code analysis.latency}), with the care the error rule takes: a p99 limit is a
 * limit on the share of requests slower than it (1 %), so green fails only when the 95 % lower bound of its share of
 * slower requests is above 1 %, never on a p99 estimated from a handful of requests. The limit is
 * {@code min(p99Max, blue's p99 × (1 + maxIncreaseOverBaseline))}, blue's p99 taken from its requests since the
 * first step began ({@link JudgeMemory#baselineLatency}), once it has at least {@link #MIN_BASELINE} (a p99 of fewer
 * is a guess). Pure: no I/O, no clock.
 */
final class LatencyRule {
    /** Blue's requests before its p99 is a baseline: a 99th percentile needs a hundred to exist. */
    static final long MIN_BASELINE = 100;

    private LatencyRule() {
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
        double blueP99 = hasBaseline ? baseline.quantile(0.99) : Double.NaN;
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
        double lower = Judge.wilsonLower(slower, n, z);
        if (n == 0 || lower <= LatencyLimits.TAIL) {
            return new Check(text, null);
        }
        double tail = Judge.binomialUpperTail(slower, n, LatencyLimits.TAIL);
        int weight = 1;
        while (weight <= weightTails.length && tail < weightTails[weight - 1]) {
            weight++;
        }
        return new Check(text, new Verdict.Fail("green is too slow: " + text + "; " + slower + " of " + n
                + " green requests slower than the limit, at least " + Judge.pct(lower)
                + " with 95% confidence where 1% may be" + (weight > 1 ? " (so clear that it counts as " + weight
                + " failures)" : ""), weight));
    }
}
