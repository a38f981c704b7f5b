package dev.botshift.bench;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.JudgeSettings;
import dev.botshift.analysis.Latencies;
import dev.botshift.analysis.LatencyLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import dev.botshift.bench.DetectionSim.Detector;
import java.util.function.Supplier;

/**
 * Part 6, a simulation: Botshift's {@link dev.botshift.analysis.Judge} with {@code analysis.latency: {p99Max: 800ms,
 * maxIncreaseOverBaseline: 20%}} and the rollout's failure rule, side by side with a Flagger-style latency check (an
 * interval fails when green's estimated p99 is above blue's by more than 20 %; the rollout fails after
 * {@link DetectionSim#K} failed intervals). Latencies are log-normal (median 50 ms, p99 160 ms), put into the router's
 * buckets (1 ms to 60 s, 20 % apart); healthy runs draw green from blue's distribution, regressions add 300 ms to
 * every green request. 0 errors throughout: only latency can fail a release here.
 */
final class LatencySim {
    static final double MEDIAN_SECONDS = 0.05;
    static final double SIGMA = 0.5;
    static final double REGRESSION_SECONDS = 0.3;
    static final LatencyLimits LIMITS = new LatencyLimits(0.8, 0.2);

    record Result(int runs, int intervals, int greenPerInterval, int judgeFalseRollbacks, int thresholdFalseRollbacks,
                  double judgeCaught, double thresholdCaught, double judgeMedianIntervals,
                  double thresholdMedianIntervals) {
    }

    private static final List<Double> BOUNDS = bounds();
    private final int greenPerInterval;
    private final int bluePerInterval;
    private final int runs;
    private final int intervals;

    LatencySim(int greenPerInterval, int runs, int intervals) {
        this.greenPerInterval = greenPerInterval;
        this.bluePerInterval = greenPerInterval * 3;
        this.runs = runs;
        this.intervals = intervals;
    }

    private Supplier<Detector> botshift() {
        return DetectionSim.botshift(new JudgeSettings(0.05, 0.02, 50, LIMITS), false);
    }

    /** Green's p99 estimate of one interval against blue's of the same interval, as a fixed-rule check does. */
    private static Supplier<Detector> threshold() {
        return () -> new Detector() {
            private int failed;

            @Override
            public boolean fails(Counts blue, Counts green) {
                double limit = Math.min(LIMITS.p99MaxSeconds(), blue.latency().quantile(0.99) * 1.2);
                return green.latency().quantile(0.99) > limit && ++failed >= DetectionSim.K;
            }
        };
    }

    Result run() {
        int judgeFalse = rollbacks(botshift(), 0, new SplittableRandom(42)).size();
        int thresholdFalse = rollbacks(threshold(), 0, new SplittableRandom(42)).size();
        List<Integer> judgeCaught = rollbacks(botshift(), REGRESSION_SECONDS, new SplittableRandom(7));
        List<Integer> thresholdCaught = rollbacks(threshold(), REGRESSION_SECONDS, new SplittableRandom(7));
        return new Result(runs, intervals, greenPerInterval, judgeFalse, thresholdFalse,
                (double) judgeCaught.size() / runs, (double) thresholdCaught.size() / runs, median(judgeCaught),
                median(thresholdCaught));
    }

    /** For each run the detector rolled back, the interval it did (1-based). */
    private List<Integer> rollbacks(Supplier<Detector> detector, double added, SplittableRandom random) {
        List<Integer> at = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Detector d = detector.get();
            for (int i = 1; i <= intervals; i++) {
                Counts blue = new Counts(bluePerInterval, 0, histogram(bluePerInterval, 0, random));
                Counts green = new Counts(greenPerInterval, 0, histogram(greenPerInterval, added, random));
                if (d.fails(blue, green)) {
                    at.add(i);
                    break;
                }
            }
        }
        return at;
    }

    private static Latencies histogram(int n, double added, SplittableRandom random) {
        long[] counts = new long[BOUNDS.size() + 1];
        double[] bounds = BOUNDS.stream().mapToDouble(Double::doubleValue).toArray();
        for (int i = 0; i < n; i++) {
            double seconds = MEDIAN_SECONDS * Math.exp(SIGMA * gaussian(random)) + added;
            int at = Arrays.binarySearch(bounds, seconds);
            counts[at >= 0 ? at : -at - 1]++;
        }
        return new Latencies(BOUNDS, Arrays.stream(counts).boxed().toList());
    }

    /** A standard normal draw (Box-Muller); part 13 draws from it too. */
    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(); // Box-Muller: (0, 1]
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The router's layout (RouterMetrics): 1 ms up, each bound 20 % above the last, to 60 s. */
    private static List<Double> bounds() {
        List<Double> b = new ArrayList<>();
        for (double x = 0.001; x < 60; x *= 1.2) {
            b.add(Math.round(x * 1e6) / 1e6);
        }
        b.add(60.0);
        return b;
    }

    private static double median(List<Integer> values) {
        return values.isEmpty() ? Double.NaN : Stats.median(values.stream().mapToDouble(Integer::doubleValue).toArray());
    }
}
