package dev.botshift.bench;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.FailureTally;
import dev.botshift.analysis.Judge;
import dev.botshift.analysis.JudgeMemory;
import dev.botshift.analysis.JudgeSettings;
import java.util.SplittableRandom;

/**
 * Part 13, a simulation: intervals read once (Prometheus on Kubernetes, 30 s), both colours healthy at 1 %, green at
 * 25 %, and a shared outage of a second or less (both colours failing every request) in several intervals in a row:
 * too little for blue to fail by itself. The real {@link Judge} (the example plan's limits: 5 %, +2 %, minRequests 20;
 * failureLimit 2) judges ten healthy intervals, the blips, then twenty healthy intervals; any rollback is false. The
 * baseline is the same rollouts without the blips, side by side on the same seeds.
 */
final class SharedBlipSim {
    static final double INTERVAL_SECONDS = 30;
    static final int GREEN_PERCENT = 25;
    static final double BACKGROUND_RATE = 0.01;
    static final JudgeSettings LIMITS = new JudgeSettings(0.05, 0.02, 20);
    private static final int BEFORE = 10;
    private static final int AFTER = 20;

    /** @param blipSeconds how long both colours fail in each blip interval; @param blips intervals in a row */
    record Case(double chatRate, double blipSeconds, int blips) {
    }

    /** Rollouts rolled back with the blips and, on the same seeds, without them. */
    record Result(Case shape, int withBlips, int without, int runs) {
    }

    private final Judge judge = new Judge(LIMITS);
    private final int runs;

    SharedBlipSim(int runs) {
        this.runs = runs;
    }

    Result run(Case c) {
        int with = 0;
        int without = 0;
        for (int i = 0; i < runs; i++) {
            with += rolledBack(c, c.blipSeconds(), new SplittableRandom(i)) ? 1 : 0;
            without += rolledBack(c, 0, new SplittableRandom(i)) ? 1 : 0;
        }
        return new Result(c, with, without, runs);
    }

    private boolean rolledBack(Case c, double blipSeconds, SplittableRandom random) {
        JudgeMemory memory = JudgeMemory.EMPTY;
        FailureTally tally = FailureTally.NONE;
        double perInterval = c.chatRate() * INTERVAL_SECONDS;
        for (int i = 0; i < BEFORE + c.blips() + AFTER; i++) {
            double failing = i >= BEFORE && i < BEFORE + c.blips() ? blipSeconds / INTERVAL_SECONDS : 0;
            Counts blue = interval(random, perInterval * (100 - GREEN_PERCENT) / 100, failing);
            Counts green = interval(random, perInterval * GREEN_PERCENT / 100, failing);
            Judge.Judgement j = judge.judge(blue, green, memory);
            memory = j.memory();
            tally = tally.after(j.verdict());
            if (j.decisive() || tally.exceeds(StepBaselineSim.FAILURE_LIMIT, StepBaselineSim.CUMULATIVE_LIMIT)) {
                return true;
            }
        }
        return false;
    }

    /** A colour's interval: Poisson requests, each failing in the blip's share of the interval, else at 1 %. */
    private static Counts interval(SplittableRandom random, double mean, double failingShare) {
        long n = poisson(random, mean);
        long errors = 0;
        for (long k = 0; k < n; k++) {
            if (random.nextDouble() < failingShare || random.nextDouble() < BACKGROUND_RATE) {
                errors++;
            }
        }
        return new Counts(n, errors);
    }

    private static long poisson(SplittableRandom random, double mean) {
        double x = mean + Math.sqrt(mean) * LatencySim.gaussian(random);
        return Math.max(0, Math.round(x)); // the normal approximation: hundreds of requests an interval
    }
}
