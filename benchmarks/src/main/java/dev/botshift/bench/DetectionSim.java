package dev.botshift.bench;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.FailureTally;
import dev.botshift.analysis.Judge;
import dev.botshift.analysis.JudgeMemory;
import dev.botshift.analysis.JudgeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Part 3, a simulation: Botshift's {@link Judge} with the rollout's own rule (roll back at a decisive verdict of the
 * sequential test, at {@link #FAILURE_LIMIT} weighted failures in a row, a pass resets, an inconclusive verdict does
 * not; or at {@link #CUMULATIVE_LIMIT} in all)
 * against a Flagger-style fixed-threshold judge (an interval fails when green's error rate exceeds T; the rollout fails
 * after K failed intervals). T is tuned so that the threshold judge's false-alarm rate over healthy rollouts is no
 * higher than Botshift's; then both watch a 1 % -> 5 % spike and we count the green requests each needs to detect it.
 */
final class DetectionSim {
    static final double BASELINE = 0.01;
    static final double SPIKE = 0.05;
    static final int K = 2;
    /** The demo and benchmark plans' analysis.failureLimit and cumulativeFailureLimit. */
    static final int FAILURE_LIMIT = 2;
    static final int CUMULATIVE_LIMIT = 4;

    record Result(int greenPerInterval, int healthyRuns, int intervalsPerRun, double judgeFalseAlarm,
                  double threshold, double thresholdFalseAlarm, double judgeMedianSamples, double thresholdMedianSamples,
                  double judgeMedianSamples10, double thresholdMedianSamples10, double oracleThreshold,
                  double oracleFalseAlarm, double oracleMedianSamples, double looserThreshold,
                  double looserFalseAlarm, double looserMedianSamples, double judgeMeanSamples,
                  double oracleMeanSamples) {
        double ratio() {
            return thresholdMedianSamples / judgeMedianSamples;
        }

        /** Issue #14's {@code detect_vs_oracle}: Botshift's median samples over the oracle's, at equal false alarms. */
        double vsOracle() {
            return judgeMedianSamples / oracleMedianSamples;
        }
    }

    private final int greenPerInterval;
    private final int bluePerInterval;
    private final int runs;
    private final int intervals;
    private final JudgeSettings settings = new JudgeSettings(0.05, 0.02, 50);

    DetectionSim(int greenPerInterval, int runs, int intervals) {
        this.greenPerInterval = greenPerInterval;
        this.bluePerInterval = greenPerInterval * 3;
        this.runs = runs;
        this.intervals = intervals;
    }

    /** One rollout's judge: told each interval's counts, says whether the rollout fails now. Fresh per rollout. */
    interface Detector {
        boolean fails(Counts blue, Counts green);

        /**
         * Whether a look within the interval, at the counts so far, already ends it with a rollback (the rollout's
         * looks between ticks where the metrics are live); the interval's end is judged through its looks.
         */
        default boolean decidesEarly(Counts blueSoFar, Counts greenSoFar) {
            return false;
        }
    }

    private Supplier<Detector> botshift() {
        return botshift(settings, false);
    }

    /**
     * Botshift's Judge with the rollout's rule ({@link FailureTally}): decisive, in a row (a pass resets), or in all.
     *
     * @param looked whether its intervals are looked into as they run (a local rollout: {@link Judge#judgeLooked})
     *               or read once at their end (Prometheus)
     */
    static Supplier<Detector> botshift(JudgeSettings settings, boolean looked) {
        return () -> new Detector() {
            private final Judge judge = new Judge(settings);
            private final List<Counts> looks = new ArrayList<>();
            private JudgeMemory memory = JudgeMemory.EMPTY;
            private FailureTally failures = FailureTally.NONE;

            @Override
            public boolean fails(Counts blue, Counts green) {
                Judge.Judgement j = looked ? judge.judgeLooked(blue, green, memory, looks)
                        : judge.judge(blue, green, memory);
                looks.clear();
                memory = j.memory();
                failures = failures.after(j.verdict());
                return failures.exceeds(FAILURE_LIMIT, CUMULATIVE_LIMIT);
            }

            @Override
            public boolean decidesEarly(Counts blueSoFar, Counts greenSoFar) {
                boolean decided = judge.judgeLooked(blueSoFar, greenSoFar, memory, looks).decisive();
                looks.add(greenSoFar);
                return decided;
            }
        };
    }

    /** Flagger-style: an interval fails when green's rate exceeds T; the rollout fails after K failed intervals. */
    private static Supplier<Detector> threshold(double t) {
        return () -> new Detector() {
            private int failed;

            @Override
            public boolean fails(Counts blue, Counts green) {
                return green.errorRate() > t && ++failed >= K;
            }
        };
    }

    /** A CUSUM told both rates (baseline and spike), failing when its sum reaches h. */
    private static Supplier<Detector> oracle(double h) {
        return () -> new Detector() {
            private double cusum;

            @Override
            public boolean fails(Counts blue, Counts green) {
                cusum = Math.max(0, cusum + green.errors() * Math.log(SPIKE / BASELINE)
                        + (green.requests() - green.errors()) * Math.log((1 - SPIKE) / (1 - BASELINE)));
                return cusum >= h;
            }
        };
    }

    Result run() {
        double judgeFa = falseAlarms(botshift());
        double chosen = Double.NaN;
        double chosenFa = Double.NaN;
        for (int step = 0; step <= 400; step++) { // T from 1 % to 21 % in 0.05 % steps: the lowest T that is as quiet
            double t = BASELINE + step * 0.0005;
            double fa = falseAlarms(threshold(t));
            if (fa <= judgeFa) {
                chosen = t;
                chosenFa = fa;
                break;
            }
        }
        // The oracle: a CUSUM that is told both rates (1 % vs 5 %), its threshold h as low as the same false-alarm
        // rate allows (bisection; false alarms fall as h grows). CUSUM is the quickest detector of a known change, so a
        // judge that must estimate the baseline from blue can at best come close to it.
        double lo = 0;
        double hi = 30;
        for (int i = 0; i < 12; i++) {
            double mid = (lo + hi) / 2;
            if (falseAlarms(oracle(mid)) <= judgeFa) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        // Green's rate moves in steps of 1/greenPerInterval: the next looser threshold that behaves differently, so the
        // table shows both settings around Botshift's false-alarm rate.
        double looser = chosen - 1.0 / greenPerInterval;
        return new Result(greenPerInterval, runs, intervals, judgeFa, chosen, chosenFa,
                medianSamples(botshift(), SPIKE), medianSamples(threshold(chosen), SPIKE),
                medianSamples(botshift(), 0.10), medianSamples(threshold(chosen), 0.10), hi,
                falseAlarms(oracle(hi)), medianSamples(oracle(hi), SPIKE), looser, falseAlarms(threshold(looser)),
                medianSamples(threshold(looser), SPIKE), meanSamples(botshift(), SPIKE), meanSamples(oracle(hi), SPIKE));
    }

    private double falseAlarms(Supplier<Detector> detector) {
        SplittableRandom random = new SplittableRandom(42);
        int alarms = 0;
        for (int r = 0; r < runs; r++) {
            if (intervalsToFail(detector.get(), BASELINE, intervals, random) > 0) {
                alarms++;
            }
        }
        return (double) alarms / runs;
    }

    private double medianSamples(Supplier<Detector> detector, double spike) {
        SplittableRandom random = new SplittableRandom(7);
        double[] samples = new double[Math.max(1, runs / 2)];
        int cap = 1_000;
        for (int r = 0; r < samples.length; r++) {
            int n = intervalsToFail(detector.get(), spike, cap, random);
            samples[r] = (double) (n > 0 ? n : cap) * greenPerInterval;
        }
        return Stats.median(samples);
    }

    /** The mean green requests to detect (a run that never fails within 1,000 intervals counts as 1,000). */
    private double meanSamples(Supplier<Detector> detector, double spike) {
        SplittableRandom random = new SplittableRandom(7);
        int n = Math.max(1, runs / 2);
        int cap = 1_000;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            int i = intervalsToFail(detector.get(), spike, cap, random);
            sum += (double) (i > 0 ? i : cap) * greenPerInterval;
        }
        return sum / n;
    }

    /** The interval (1-based) at which the detector fails, or 0 when it never does within {@code max}. */
    private int intervalsToFail(Detector detector, double greenRate, int max, SplittableRandom random) {
        for (int i = 1; i <= max; i++) {
            Counts blue = new Counts(bluePerInterval, binomial(bluePerInterval, BASELINE, random));
            Counts green = new Counts(greenPerInterval, binomial(greenPerInterval, greenRate, random));
            if (detector.fails(blue, green)) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Successes in {@code n} trials at {@code p}, one draw per trial (the sims whose figures docs/benchmarks.md holds
     * draw so; {@link LookedMarginSim} draws by the gaps between successes, other draws for the same law).
     */
    static long binomial(int n, double p, SplittableRandom random) {
        long k = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < p) {
                k++;
            }
        }
        return k;
    }
}
