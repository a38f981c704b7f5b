package dev.botshift.bench;

import dev.botshift.bench.RolloutRig.Release;
import dev.botshift.traffic.router.BucketSplit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Part 2: real rollouts under live traffic. Healthy trials: both colours fail {@link #BACKGROUND_RATE} of requests
 * throughout (the first one's blue is the clean part-4 release); any rollback is false. Spike trials: green runs clean
 * until a known wall-clock instant in the middle of a step (the sample bot's {@code BOT_FAULT_AT}), then fails
 * {@link #SPIKE_RATE} of its requests; the reaction is from that instant (or from green's first traffic, if the onset
 * came earlier) to the router giving green 0 %.
 */
final class RollbackTrials {
    static final double BACKGROUND_RATE = 0.01;
    static final double SPIKE_RATE = 0.10;
    /** The demo's step duration; --quick uses {@link #QUICK_STEP} (two verdicts per step instead of three). */
    static final Duration STEP = Duration.ofSeconds(3);
    static final Duration QUICK_STEP = Duration.ofSeconds(2);
    static final Duration INTERVAL = Duration.ofSeconds(1); // bench.yaml's analysis.interval
    /** bench.yaml's maxErrorRate, maxIncreaseOverBaseline and minRequests: what the oracle's false alarms are held to. */
    static final dev.botshift.analysis.JudgeSettings JUDGE = new dev.botshift.analysis.JudgeSettings(0.05, 0.02, 5);

    record Spike(String release, double reactionSeconds, int weightAtOnset, boolean rolledBack, String outcome) {
    }

    record Result(List<Spike> spikes, List<RolloutTrial> healthy) {
        long falseRollbacks() {
            return healthy.stream().filter(t -> !t.succeeded()).count();
        }

        double[] reactions() {
            return spikes.stream().filter(Spike::rolledBack).mapToDouble(Spike::reactionSeconds).toArray();
        }

        long missed() {
            return spikes.stream().filter(s -> !s.rolledBack()).count();
        }
    }

    /**
     * Green's requests per second at 25 %: the chat platform's rate times the share of its chats whose sticky bucket
     * (the router's {@link BucketSplit#bucketOf}, the chat id as the key) falls in green's quarter. Green is in
     * slot b in one rollout and slot a in the next (b takes buckets below its percentage, a the rest), so this is the
     * mean of the two shares; both are returned for the table.
     */
    static double[] greenRateAt25(double platformRate, int chats) {
        int b = 0;
        int a = 0;
        for (long chat = RolloutRig.FIRST_CHAT; chat < RolloutRig.FIRST_CHAT + chats; chat++) {
            int bucket = BucketSplit.bucketOf(Long.toString(chat));
            b += bucket < 25 ? 1 : 0;
            a += bucket >= 75 ? 1 : 0;
        }
        double inB = platformRate * b / chats;
        double inA = platformRate * a / chats;
        return new double[] {(inA + inB) / 2, inB, inA};
    }

    private final RolloutRig rig;
    private final Duration step;
    private final int trials;
    private final List<String> table;
    private int releases;
    /** A trial ended in a state the next deploy refuses to start from. */
    private boolean stuck;

    RollbackTrials(RolloutRig rig, Duration step, int trials, List<String> table) {
        this.rig = rig;
        this.step = step;
        this.trials = trials;
        this.table = table;
    }

    Result run() throws InterruptedException {
        // Healthy trials first: the first one also puts a stable colour with background errors in place for the spike
        // trials, and the last one times green's way to its first traffic.
        List<RolloutTrial> healthy = new ArrayList<>();
        for (int i = 1; i <= trials; i++) {
            RolloutTrial t = rig.deploy(Release.healthy("2.1." + i, BACKGROUND_RATE, step));
            healthy.add(t);
            progress(String.format(java.util.Locale.ROOT, "healthy trial %d/%d: %s in %.1f s", i, trials, t.describe(),
                    t.wall().toMillis() / 1e3));
            if (unfinished(t)) {
                stuck = true;
                break;
            }
        }
        RolloutTrial last = healthy.get(healthy.size() - 1);
        Duration toTraffic = last.firstCandidateTraffic().map(t -> Duration.between(last.start(), t))
                .orElse(Duration.ofSeconds(6));
        List<Spike> spikes = new ArrayList<>();
        for (int i = 1; i <= trials && !stuck; i++) {
            // The onset falls at a random point of the second step (25 %), predicted from the last trial's timing.
            long offset = toTraffic.toMillis() + step.toMillis()
                    + ThreadLocalRandom.current().nextLong(step.toMillis());
            Instant onset = Instant.now().plusMillis(offset);
            RolloutTrial t = rig.deploy(new Release("2.2." + i + "-spike", "changelog-v2.yaml", SPIKE_RATE, onset,
                    step));
            Instant first = t.firstCandidateTraffic().orElse(onset);
            toTraffic = Duration.between(t.start(), first);
            Instant effective = first.isAfter(onset) ? first : onset;
            double reaction = t.candidateBackToZero().map(b -> Duration.between(effective, b).toMillis() / 1e3)
                    .orElse(Double.NaN);
            Spike s = new Spike(t.release().version(), reaction, t.candidateWeightAt(effective), t.rolledBack(),
                    t.describe());
            spikes.add(s);
            progress(String.format(java.util.Locale.ROOT, "spike trial %d/%d: %s, green at %d %% at onset, back to 0 %% "
                    + "after %.2f s", i, trials, s.outcome(), s.weightAtOnset(), s.reactionSeconds()));
            if (unfinished(t)) {
                stuck = true;
                break;
            }
        }
        return new Result(spikes, healthy);
    }

    /**
     * A rollout that ended neither rolled back nor promoted (e.g. FAILED after the contract, when a spike's onset came
     * only once green had all traffic) leaves a run the next deploy refuses to start over: the part stops there and
     * says so; such a trial counts as not rolled back (spike) or as a false rollback (healthy).
     */
    private boolean unfinished(RolloutTrial t) {
        if (t.rolledBack() || t.succeeded()) {
            return false;
        }
        progress("the rollout ended " + t.describe() + ": the rig cannot deploy again, so the remaining trials are not run"
                + " (see benchmarks/target/rollouts.log)");
        return true;
    }

    private void progress(String line) {
        System.err.println("  [part 2] " + line);
        table.add("   " + line);
    }
}
