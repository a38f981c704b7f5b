package dev.botshift.bench;

import dev.botshift.bench.RolloutRig.Release;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.traffic.router.BucketSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Part 2: real rollouts under live traffic. Healthy trials: both colours fail {@link #BACKGROUND_RATE} of requests
 * throughout (the first one's blue is the clean part-4 release); any rollback is false. Spike trials: green runs clean
 * until an instant drawn uniformly within the 25 % step, then fails {@link #SPIKE_RATE} of its requests; the reaction
 * is from that instant to the router giving green 0 %. The onset is the creation of the sample bot's fault file
 * ({@code BOT_FAULT_FILE}), timed from the moment the rollout recorded the 25 % split (read from its stored state, as
 * {@code botshift status} reads it): a wall-clock onset predicted before the deploy fell in the 10 % or 50 % step in
 * some trials, where green gets another rate. The bot looks at the file every 50 ms at most, so a spike's errors
 * begin up to 50 ms after the instant the reaction is timed from.
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
        /** Rolled back before the onset: the rollout never reached the 25 % step clean, a false rollback. */
        boolean beforeOnset() {
            return Double.isNaN(reactionSeconds) && rolledBack;
        }
    }

    record Result(List<Spike> spikes, List<RolloutTrial> healthy) {
        long falseRollbacks() {
            return healthy.stream().filter(t -> !t.succeeded()).count();
        }

        double[] reactions() {
            return spikes.stream().filter(sp -> sp.rolledBack() && !sp.beforeOnset()).mapToDouble(Spike::reactionSeconds)
                    .toArray();
        }

        /** Spike trials rolled back before their onset: false rollbacks too. */
        long beforeOnset() {
            return spikes.stream().filter(Spike::beforeOnset).count();
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
    private final int healthyTrials;
    private final int spikeTrials;
    private final List<String> table;
    private int releases;
    /** A trial ended in a state the next deploy refuses to start from. */
    private boolean stuck;

    RollbackTrials(RolloutRig rig, Duration step, int healthyTrials, int spikeTrials, List<String> table) {
        this.rig = rig;
        this.step = step;
        this.healthyTrials = healthyTrials;
        this.spikeTrials = spikeTrials;
        this.table = table;
    }

    Result run() throws InterruptedException, IOException {
        // Healthy trials first: the first one also puts a stable colour with background errors in place for the spike
        // trials.
        List<RolloutTrial> healthy = new ArrayList<>();
        for (int i = 1; i <= healthyTrials; i++) {
            RolloutTrial t = rig.deploy(Release.healthy("2.1." + i, BACKGROUND_RATE, step));
            healthy.add(t);
            progress(String.format(Locale.ROOT, "healthy trial %d/%d: %s in %.1f s", i, healthyTrials,
                    t.describe(), t.wall().toMillis() / 1e3));
            if (unfinished(t)) {
                stuck = true;
                break;
            }
        }
        List<Spike> spikes = new ArrayList<>();
        Path faults = Files.createTempDirectory("botshift-bench-faults-");
        try {
            for (int i = 1; i <= spikeTrials && !stuck; i++) {
                String version = "2.2." + i + "-spike";
                Path file = faults.resolve(version);
                Onset onset = new Onset(rig, version, file, step);
                onset.start();
                RolloutTrial t;
                try {
                    t = rig.deploy(new Release(version, "changelog-v2.yaml", SPIKE_RATE, file, step));
                } finally {
                    onset.interrupt();
                    onset.join();
                }
                Spike s = spike(t, onset.at());
                spikes.add(s);
                progress(String.format(Locale.ROOT, "spike trial %d/%d: %s, green at %d %% at onset, back to 0 %% "
                        + "after %.2f s%s", i, spikeTrials, s.outcome(), s.weightAtOnset(), s.reactionSeconds(),
                        t.verdictToCut().map(d -> " (" + d.toMillis() + " ms from the judge's verdict)").orElse("")));
                if (unfinished(t)) {
                    stuck = true;
                    break;
                }
            }
        } finally {
            try (var files = Files.list(faults)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(faults);
        }
        return new Result(spikes, healthy);
    }

    private static Spike spike(RolloutTrial t, Instant onset) {
        if (onset == null) { // never reached the 25 % step with a clean green
            return new Spike(t.release().version(), Double.NaN, 0, t.rolledBack(), t.describe() + " before the onset");
        }
        double reaction = t.candidateBackToZero().filter(b -> b.isAfter(onset))
                .map(b -> Duration.between(onset, b).toMillis() / 1e3).orElse(Double.NaN);
        return new Spike(t.release().version(), reaction, t.candidateWeightAt(onset), t.rolledBack(), t.describe());
    }

    /**
     * Watches the rollout's stored state (every 20 ms) for the 25 % split of {@code version}, then creates the fault
     * file at an instant drawn uniformly within the step from the moment that split was recorded. {@link #at()} is the
     * instant the file was created, or null if the rollout never got there.
     */
    private static final class Onset extends Thread {
        private final RolloutRig rig;
        private final String version;
        private final Path file;
        private final Duration step;
        private volatile Instant at;

        Onset(RolloutRig rig, String version, Path file, Duration step) {
            super("bench-onset-" + version);
            setDaemon(true);
            this.rig = rig;
            this.version = version;
            this.file = file;
            this.step = step;
        }

        Instant at() {
            return at;
        }

        @Override
        public void run() {
            try {
                Instant shifted = null;
                while (shifted == null) {
                    Thread.sleep(20);
                    shifted = shiftedTo25().orElse(null);
                }
                Instant onset = shifted.plusMillis(ThreadLocalRandom.current().nextLong(step.toMillis()));
                long wait = Duration.between(Instant.now(), onset).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                Files.createFile(file);
                at = Instant.now();
            } catch (InterruptedException e) {
                // the rollout ended before the onset
            } catch (IOException | RuntimeException e) {
                System.err.println("  [part 2] no onset for " + version + ": " + e);
            }
        }

        /** When the rollout shifted green to 25 %; empty before, or while the state cannot be read (the next poll reads again). */
        private Optional<Instant> shiftedTo25() {
            try {
                return rig.state().filter(s -> s.release().equals(version)).flatMap(Onset::at25);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        private static Optional<Instant> at25(RolloutState s) {
            for (RolloutEvent e : s.history()) {
                if (e instanceof RolloutEvent.TrafficShifted t && t.split().green() == 25) {
                    return Optional.of(t.at());
                }
            }
            return Optional.empty();
        }
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
