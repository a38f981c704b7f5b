package dev.botshift.bench;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.JudgeSettings;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Part 2's yardstick for {@code rollback_vs_oracle}: the expected time a CUSUM <em>told</em> both rates (green's
 * healthy rate and the spike's) needs to detect part 2's spike at the request rate green actually gets in the 25 % step.
 * The CUSUM sums each request's log-likelihood ratio the moment its outcome is known (no intervals: the bound a
 * per-request detector such as a router-side guard could reach), and its threshold h is the lowest whose false-alarm
 * rate over healthy rollouts of {@link #INTERVALS} intervals is no higher than Botshift's rollout rule's (the real
 * {@code Judge}, bench.yaml's settings, looked at between ticks as a local rollout does) at the same rates, as in
 * part 3. Its expected samples to cross h from 0, over
 * green's rate, is the time.
 */
final class OracleReaction {
    static final int INTERVALS = 60;
    /** Looks per interval: the runner's (100 ms apart at bench.yaml's 1 s interval). */
    static final int LOOKS = dev.botshift.rollout.RolloutRunner.LOOKS_PER_INTERVAL;

    /**
     * h, the false-alarm rate both are held to, the oracle's mean samples to detect, and that as seconds; and the 95th
     * percentile of its samples as seconds: the oracle's own p95 reaction, what {@code rollback_p95_intervals} can be
     * compared with at this rate.
     */
    record Result(double greenPerSecond, double judgeFalseAlarm, double h, double oracleFalseAlarm, double meanSamples,
                  double seconds, double p95Seconds) {
    }

    private final double baseline;
    private final double spike;
    private final int runs;

    OracleReaction(double baseline, double spike, int runs) {
        this.baseline = baseline;
        this.spike = spike;
        this.runs = runs;
    }

    /** {@code greenPerSecond}: green's requests per second; the analysis interval is 1 s, blue gets 3x green (25 %). */
    Result at(double greenPerSecond, JudgeSettings settings) {
        int n = Math.max(1, (int) Math.round(greenPerSecond));
        double judgeFa = judgeFalseAlarms(DetectionSim.botshift(settings, true), n);
        double lo = 0;
        double hi = 40;
        for (int i = 0; i < 14; i++) { // false alarms fall as h grows
            double mid = (lo + hi) / 2;
            if (cusumFalseAlarms(mid, n) <= judgeFa) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double[] samples = samplesToDetect(hi);
        double mean = java.util.Arrays.stream(samples).average().orElse(Double.NaN);
        return new Result(greenPerSecond, judgeFa, hi, cusumFalseAlarms(hi, n), mean, mean / greenPerSecond,
                Stats.percentile(samples, 0.95) / greenPerSecond);
    }

    private double judgeFalseAlarms(Supplier<DetectionSim.Detector> detector, int n) {
        SplittableRandom random = new SplittableRandom(42);
        int alarms = 0;
        for (int r = 0; r < runs; r++) {
            DetectionSim.Detector d = detector.get();
            if (rolledBack(d, n, random)) {
                alarms++;
            }
        }
        return (double) alarms / runs;
    }

    /**
     * One healthy rollout of {@link #INTERVALS} intervals under the rollout's rule, looked at as the local rollout
     * does: {@link #LOOKS} times an interval (the runner's looks between ticks), each look at the interval's counts
     * so far, then the verdict at its end.
     */
    private boolean rolledBack(DetectionSim.Detector d, int n, SplittableRandom random) {
        for (int i = 0; i < INTERVALS; i++) {
            Counts blue = Counts.ZERO;
            Counts green = Counts.ZERO;
            for (int look = 1; look <= LOOKS; look++) {
                int g = n * look / LOOKS - n * (look - 1) / LOOKS;
                blue = blue.plus(new Counts(3L * g, DetectionSim.binomial(3 * g, baseline, random)));
                green = green.plus(new Counts(g, DetectionSim.binomial(g, baseline, random)));
                if (look < LOOKS && d.decidesEarly(blue, green)) {
                    return true;
                }
            }
            if (d.fails(blue, green)) {
                return true;
            }
        }
        return false;
    }

    private double cusumFalseAlarms(double h, int n) {
        SplittableRandom random = new SplittableRandom(42);
        int alarms = 0;
        long requests = (long) INTERVALS * n;
        for (int r = 0; r < runs; r++) {
            if (requestsToCross(h, baseline, requests, random) > 0) {
                alarms++;
            }
        }
        return (double) alarms / runs;
    }

    private double[] samplesToDetect(double h) {
        SplittableRandom random = new SplittableRandom(7);
        double[] samples = new double[runs];
        for (int r = 0; r < runs; r++) {
            samples[r] = requestsToCross(h, spike, 1_000_000, random);
        }
        return samples;
    }

    /** The request (1-based) at which the CUSUM, started at 0, reaches h when green fails at {@code rate}; 0 if never. */
    private long requestsToCross(double h, double rate, long max, SplittableRandom random) {
        double up = Math.log(spike / baseline);
        double down = Math.log((1 - spike) / (1 - baseline));
        double cusum = 0;
        for (long i = 1; i <= max; i++) {
            cusum = Math.max(0, cusum + (random.nextDouble() < rate ? up : down));
            if (cusum >= h) {
                return i;
            }
        }
        return 0;
    }
}
