package dev.botshift.bench;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.FailureTally;
import dev.botshift.analysis.Judge;
import dev.botshift.analysis.JudgeMemory;
import dev.botshift.analysis.SequentialTest;
import dev.botshift.traffic.GreenGuard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Part 12, a simulation: part 2's rollout request by request, judged by the real {@link Judge} between ticks (its
 * looks, with blue's counts at each as the runner reads them) and at each tick, and guarded by the router's per-answer
 * test ({@link GreenGuard}'s thresholds), with blue's error baseline either started again at every step (the rule
 * before 2026-12-06) or carried through the next step where blue still serves ({@link JudgeMemory#newStep}). Same
 * traffic both ways. Spike trials: green clean until an instant drawn uniformly within the 25 % step, then {@link
 * RollbackTrials#SPIKE_RATE} (the sample bot sees its fault file up to 50 ms later); the reaction is from that instant
 * to the first decision, the judge's or the guard's (the plumbing after it, 6–107 ms in part 2, is left out). Healthy
 * trials: both colours at {@link RollbackTrials#BACKGROUND_RATE} through the steps and the bake; any rollback is false.
 */
final class StepBaselineSim {
    static final int[] STEPS = {10, 25, 50, 100};
    static final int LOOKS = 10;
    /** bench.yaml's failureLimit and cumulativeFailureLimit. */
    static final int FAILURE_LIMIT = 2;
    static final int CUMULATIVE_LIMIT = 4;

    /** What one way of keeping the baseline gave: reactions sorted, the guard's share of them, false rollbacks. */
    record Way(double[] reactions, int byGuard, int falseAlarms, int healthyRuns) {
        double quantile(double q) {
            return reactions[Math.min(reactions.length - 1, (int) Math.ceil(q * reactions.length) - 1)];
        }

        double over(double seconds) {
            return Arrays.stream(reactions).filter(r -> r > seconds).count() / (double) reactions.length;
        }
    }

    private final double chatRate;
    /** Part 2's step (and bake, and post-contract watch): 3 s, {@code --quick} 2 s. */
    private final double stepSeconds;
    private final int spikeRuns;
    private final int healthyRuns;
    private final Judge judge = new Judge(RollbackTrials.JUDGE);

    StepBaselineSim(double chatRate, java.time.Duration step, int spikeRuns, int healthyRuns) {
        this.chatRate = chatRate;
        this.stepSeconds = step.toMillis() / 1000.0;
        this.spikeRuns = spikeRuns;
        this.healthyRuns = healthyRuns;
    }

    /** {@code carried}: blue's baseline carried through the next step; else started again at every step. */
    Way run(boolean carried) {
        double[] reactions = new double[spikeRuns];
        int byGuard = 0;
        for (int i = 0; i < spikeRuns; i++) {
            double[] r = trial(carried, true, new SplittableRandom(7_919L * i + 1));
            reactions[i] = r[0];
            byGuard += (int) r[1];
        }
        Arrays.sort(reactions);
        int alarms = 0;
        for (int i = 0; i < healthyRuns; i++) {
            alarms += trial(carried, false, new SplittableRandom(104_729L * i + 3))[0] >= 0 ? 1 : 0;
        }
        return new Way(reactions, byGuard, alarms, healthyRuns);
    }

    /**
     * One rollout. Spike: {reaction in seconds from the onset (infinite if never decided), 1 if the guard decided};
     * healthy: {the time of a rollback, or -1}.
     */
    private double[] trial(boolean carried, boolean spike, SplittableRandom random) {
        JudgeMemory memory = JudgeMemory.EMPTY;
        JudgeMemory guardBasis = memory; // the router's guard is armed with the step so far; at a step's start, the one before
        FailureTally failures = FailureTally.NONE;
        double onset = Double.NaN;
        double errorsFrom = Double.POSITIVE_INFINITY;
        double guardSum = 0;
        double steepSum = 0;
        int step = 0;
        double stepStart = 0;
        for (double t = 0; ; t += 1) {
            int share = STEPS[step];
            if (spike && share == 25 && Double.isNaN(onset)) {
                onset = stepStart + random.nextDouble() * stepSeconds;
                errorsFrom = onset + random.nextDouble() * 0.05;
            }
            SequentialTest guard = judge.sequentialTest(guardBasis.baselineRequests(), guardBasis.baselineErrors());
            double threshold = GreenGuard.THRESHOLD;
            double steepThreshold = new GreenGuard(dev.botshift.core.Slot.B, "sim", guard, 1).steepThreshold();
            double greenRate = chatRate * share / 100.0;
            double blueRate = chatRate - greenRate;
            long greenRequests = 0;
            long greenErrors = 0;
            long blueRequests = 0;
            long blueErrors = 0;
            List<Counts> looks = new ArrayList<>();
            List<Counts> blueLooks = new ArrayList<>(); // blue's too, as the runner reads both at each look
            for (int k = 1; k <= LOOKS; k++) {
                double from = t + (k - 1) / (double) LOOKS;
                double to = t + k / (double) LOOKS;
                for (double at = from + gap(greenRate, random); at < to; at += gap(greenRate, random)) {
                    double rate = at >= errorsFrom ? RollbackTrials.SPIKE_RATE : spike ? 0 : RollbackTrials.BACKGROUND_RATE;
                    boolean error = random.nextDouble() < rate;
                    greenRequests++;
                    greenErrors += error ? 1 : 0;
                    guardSum = Math.max(0, guardSum + (error ? guard.errorStep() : guard.successStep()));
                    steepSum = Math.max(0, steepSum + (error ? guard.steep().errorStep() : guard.steep().successStep()));
                    if (guardSum >= threshold || steepSum >= steepThreshold) {
                        return spike ? new double[] {at - onset, 1} : new double[] {at, 1};
                    }
                }
                for (double at = from + gap(blueRate, random); at < to; at += gap(blueRate, random)) {
                    blueRequests++;
                    blueErrors += random.nextDouble() < RollbackTrials.BACKGROUND_RATE ? 1 : 0;
                }
                Counts blue = new Counts(blueRequests, blueErrors);
                Counts green = new Counts(greenRequests, greenErrors);
                if (k < LOOKS) { // the runner's looks between ticks; the last is the tick's
                    boolean decided = judge.judgeLooked(blue, green, memory, looks, blueLooks).decisive();
                    looks.add(green);
                    blueLooks.add(blue);
                    if (decided) {
                        return spike ? new double[] {to - onset, 0} : new double[] {to, 0};
                    }
                }
            }
            Judge.Judgement j = judge.judgeLooked(new Counts(blueRequests, blueErrors),
                    new Counts(greenRequests, greenErrors), memory, looks, blueLooks);
            memory = j.memory();
            guardBasis = memory;
            failures = failures.after(j.verdict());
            if (j.decisive() || failures.exceeds(FAILURE_LIMIT, CUMULATIVE_LIMIT)) {
                return spike ? new double[] {t + 1 - onset, 0} : new double[] {t + 1, 0};
            }
            boolean stepDone = t + 1 - stepStart >= stepSeconds - 1e-9 && memory.evidence() < 0.5;
            if (step == STEPS.length - 1) {
                if (t + 1 - stepStart >= 2 * stepSeconds - 1e-9) { // the 100 % step, then the bake
                    return spike ? new double[] {Double.POSITIVE_INFINITY, 0} : new double[] {-1, 0};
                }
            } else if (stepDone) {
                step++;
                stepStart = t + 1;
                failures = failures.newStep();
                memory = memory.newStep(carried && STEPS[step] < 100);
            }
        }
    }

    /** The time to the next request of a Poisson stream at {@code rate} a second. */
    private static double gap(double rate, SplittableRandom random) {
        return rate <= 0 ? Double.POSITIVE_INFINITY : -Math.log(1 - random.nextDouble()) / rate;
    }
}
