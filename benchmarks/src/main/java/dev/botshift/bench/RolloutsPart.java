package dev.botshift.bench;

import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.demo.ChatStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parts 2 (rollback reaction) and 4 (a healthy rollout under load): their run and their rows and keys. */
final class RolloutsPart {
    /** Chats the platform sends for in parts 2 and 4, each at the rate's share. */
    private static final int ROLLOUT_CHATS = 200;

    private RolloutsPart() {
    }

    /** Parts 2 and 4 on one rig: v1 live, a chat platform at {@code chatRate}, then every rollout of both parts. */
    static void run(Path repo, boolean quick, int chatRate, List<String> table, Map<String, String> keys)
            throws Exception {
        table.add("");
        table.add("4. Healthy rollout under load: v1 -> 2.0.0 (expand .. contract), chat platform at " + chatRate
                + " requests/s through the Botshift router");
        List<String> part2 = new ArrayList<>();
        RouterLoad.Result load;
        RollbackTrials.Result trials;
        ChatStats stats;
        ChatLedger ledger;
        try (RolloutRig rig = new RolloutRig(repo)) {
            RolloutTrial v1 = rig.deploy(new RolloutRig.Release("1.0.0", "changelog-v1.yaml", 0, null,
                    RollbackTrials.STEP));
            if (!v1.succeeded()) {
                throw new IllegalStateException("v1 did not go live: " + v1.describe() + "; see benchmarks/target/rollouts.log");
            }
            ChatPlatform chats = rig.chats(ROLLOUT_CHATS, chatRate);
            chats.start();
            Thread.sleep(2000);
            load = new RouterLoad(rig, Duration.ofSeconds(quick ? 4 : 10), quick ? 1_000 : 3_000).run(chats);
            trials = new RollbackTrials(rig, quick ? RollbackTrials.QUICK_STEP : RollbackTrials.STEP, quick ? 5 : 40,
                    quick ? 5 : 20, part2).run();
            stats = chats.stop(Duration.ofSeconds(30));
            ledger = rig.ledger(chats);
        }
        LatencyProbe.Result p = load.probe();
        table.add(String.format(Locale.ROOT, "   rollout %s in %.1f s: %,d requests at %.0f/s, %d failed%s", load.rollout()
                .describe(), load.rollout().wall().toMillis() / 1e3, load.total(), load.achievedRate(), load.failed(),
                load.failedByCause().isEmpty() ? "" : " " + load.failedByCause()));
        table.add(String.format(Locale.ROOT, "   latency, %d sequential requests each way under that load: router p50 %.2f ms "
                + "p99 %.2f ms, direct p50 %.2f ms p99 %.2f ms (%d not 2xx)", p.routerMicros().length,
                Stats.percentile(p.routerMicros(), 0.5) / 1e3, Stats.percentile(p.routerMicros(), 0.99) / 1e3,
                Stats.percentile(p.directMicros(), 0.5) / 1e3, Stats.percentile(p.directMicros(), 0.99) / 1e3,
                p.failures()));
        keys.put("chat_rate", String.valueOf(chatRate));
        keys.put("failed_requests", String.valueOf(load.failed()));
        keys.put("total_requests", String.valueOf(load.total()));
        keys.put("router_p50_overhead_ms", String.format(Locale.ROOT, "%.2f", p.overheadMs(0.5)));
        keys.put("router_p99_overhead_ms", String.format(Locale.ROOT, "%.2f", p.overheadMs(0.99)));

        table.add("");
        table.add(String.format(Locale.ROOT, "2. Rollback reaction: %d spike trials (green clean, then %.0f %% errors from an "
                + "instant drawn within the 25 %% step), %d healthy trials (%.0f %% errors in both colours); steps of %d s, "
                + "interval %d s, failureLimit 2", trials.spikes().size(), RollbackTrials.SPIKE_RATE * 100,
                trials.healthy().size(), RollbackTrials.BACKGROUND_RATE * 100,
                (quick ? RollbackTrials.QUICK_STEP : RollbackTrials.STEP).toSeconds(), RollbackTrials.INTERVAL.toSeconds()));
        part2.forEach(table::add);
        double[] r = trials.reactions();
        double max = java.util.Arrays.stream(r).max().orElse(Double.NaN);
        table.add(String.format(Locale.ROOT, "   reaction p50 %.2f s, max %.2f s; spikes not rolled back %d; false rollbacks "
                + "%d of %d healthy trials, %d spike trials rolled back before their onset", Stats.median(r), max,
                trials.missed(), trials.falseRollbacks(), trials.healthy().size(), trials.beforeOnset()));
        table.add(String.format(Locale.ROOT, "   whole run: %,d messages sent, %,d stored, %d lost, %d stored twice, %,d "
                + "redeliveries", stats.sent(), ledger.stored(), ledger.lost().size(), ledger.duplicated().size(),
                stats.redeliveries()));
        keys.put("rollback_p50_s", Bench.fmt(Stats.median(r)));
        keys.put("rollback_max_s", trials.missed() > 0 ? "NA" : Bench.fmt(max));
        keys.put("rollback_max_intervals", trials.missed() > 0 ? "NA"
                : Bench.fmt(max / RollbackTrials.INTERVAL.toMillis() * 1000));
        double intervalS = RollbackTrials.INTERVAL.toMillis() / 1e3;
        keys.put("rollback_p95_intervals", trials.missed() > 0 ? "NA" : Bench.fmt(Stats.percentile(r, 0.95) / intervalS));
        double[] rates = RollbackTrials.greenRateAt25(chatRate, ROLLOUT_CHATS);
        if (r.length == 0) {
            keys.put("rollback_vs_oracle", "NA");
        } else {
            OracleReaction.Result o = new OracleReaction(RollbackTrials.BACKGROUND_RATE, RollbackTrials.SPIKE_RATE,
                    quick ? 2_000 : 10_000).at(rates[0], RollbackTrials.JUDGE);
            table.add(String.format(Locale.ROOT, "   reaction p95 %.2f s = %.2f intervals; oracle: green gets %.1f requests/s"
                    + " at 25 %% (the chat platform's %d/s times its chats' share of green's sticky buckets: %.0f/s or "
                    + "%.0f/s, by the storage slot green runs in); a per-request CUSUM told %.0f %% -> %.0f %%, h=%.2f (false alarms %.4f "
                    + "vs Botshift's rule %.4f over %d healthy intervals) needs %.1f requests on average = %.2f s; "
                    + "p50 reaction / oracle = %.2f; the oracle's own p95: %.2f s = %.2f intervals",
                    Stats.percentile(r, 0.95), Stats.percentile(r, 0.95) / intervalS,
                    rates[0], chatRate, rates[1], rates[2], RollbackTrials.BACKGROUND_RATE * 100,
                    RollbackTrials.SPIKE_RATE * 100,
                    o.h(), o.oracleFalseAlarm(), o.judgeFalseAlarm(), OracleReaction.INTERVALS, o.meanSamples(),
                    o.seconds(), Stats.median(r) / o.seconds(), o.p95Seconds(), o.p95Seconds() / intervalS));
            keys.put("rollback_vs_oracle", Bench.fmt(Stats.median(r) / o.seconds()));
        }
        keys.put("rollback_missed", String.valueOf(trials.missed()));
        keys.put("false_rollbacks", String.valueOf(trials.falseRollbacks() + trials.beforeOnset()));
        keys.put("healthy_trials", String.valueOf(trials.healthy().size()));
        keys.put("spike_trials", String.valueOf(trials.spikes().size()));
        keys.put("messages_lost", String.valueOf(ledger.lost().size()));
    }
}
