package dev.botshift.bench;

import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.demo.ChatStats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Part 10 (forged requests): its run and its rows and key. */
final class ForgedPart {
    private static final double FORGED_RATE = 800;
    /**
     * Part 10's junk and chat traffic run this long before the deploy: the router started with v1 has not yet run
     * its request path, and its JIT compiling it on the 2 CPUs made the first seconds' junk slow (382–617 answers a
     * second, p99 1.4 s, then 800/s from the fifth second on). An attacked router is a warm one.
     */
    private static final Duration FORGED_WARM_UP = Duration.ofSeconds(10);
    /** Where part 10 hands bench-verified.yaml its webhook secret ({@code traffic.verify.secretEnv}). */
    static final String SECRET_ENV = "BENCH_WEBHOOK_SECRET";

    private ForgedPart() {
    }

    /** Part 10: a release failing 40 % of valid updates, rolled out under 800 forged/malformed requests a second. */
    static void run(Path repo, boolean quick, List<String> table, Map<String, String> keys) throws Exception {
        String missing = ForgedLoad.missingTool();
        if (missing != null) {
            table.add("");
            table.add("10. Forged requests: not measured: " + missing);
            keys.put("forged_promoted", "NA");
            return;
        }
        String loadBefore = Bench.loadAverage();
        String secret = randomSecret();
        Duration step = quick ? RollbackTrials.QUICK_STEP : RollbackTrials.STEP;
        RolloutTrial trial;
        ForgedLoad junk;
        Instant deployed;
        Instant ended;
        ChatStats stats;
        ChatLedger ledger;
        try (RolloutRig rig = new RolloutRig(repo, repo.resolve("benchmarks/plans/bench-verified.yaml"),
                Map.of(SECRET_ENV, secret))) {
            RolloutTrial v1 = rig.deploy(new RolloutRig.Release("1.0.0", "changelog-v1.yaml", 0, null, step));
            if (!v1.succeeded()) {
                throw new IllegalStateException("v1 did not go live: " + v1.describe() + "; see benchmarks/target/rollouts.log");
            }
            ChatPlatform chats = rig.chats(200, 200, secret);
            chats.start();
            junk = new ForgedLoad(rig.routerWebhook(), secret, FORGED_RATE);
            try (junk) {
                junk.start();
                Thread.sleep(FORGED_WARM_UP.toMillis());
                deployed = Instant.now();
                trial = rig.deploy(new RolloutRig.Release("2.0.0", "changelog-v2.yaml", 0.40, null, step));
                ended = Instant.now();
                junk.stop();
            }
            stats = chats.stop(Duration.ofSeconds(30));
            ledger = rig.ledger(chats);
        }
        table.add("");
        table.add(String.format(Locale.ROOT, "10. Forged requests: v1 live behind the router with webhook verification "
                + "(bench-verified.yaml), chat platform at 200 updates/s with the secret token, plus %.0f junk requests/s "
                + "(half a wrong secret token, half the right one with an unparseable body); then release 2.0.0 failing "
                + "40 %% of valid updates, steps of %d s; load average %s at the start, %s at the end", FORGED_RATE,
                step.toSeconds(), loadBefore, Bench.loadAverage()));
        Duration wall = trial.wall();
        String back = trial.firstCandidateTraffic().flatMap(f -> trial.candidateBackToZero()
                .map(b -> String.format(Locale.ROOT, "%.2f s", Duration.between(f, b).toMillis() / 1e3))).orElse("never");
        table.add(String.format(Locale.ROOT, "   2.0.0: %s in %.1f s; green back to 0 %% %s after its first traffic",
                trial.describe(), wall.toMillis() / 1e3, back));
        ForgedLoad.Rate during = junk.rateWithin(deployed, ended);
        table.add(String.format(Locale.ROOT, "   junk: %.0f answered a second during the rollout (its %d whole seconds); "
                + "%,d sent at %.0f/s from %d s before the deploy to its end (wrk, %d connections), answers by status %s "
                + "in p50 %.1f ms, p99 %.1f ms; answers in each second %s", during.perSecond(), during.seconds(),
                junk.sent(), junk.achievedRate(), FORGED_WARM_UP.toSeconds(), ForgedLoad.CONNECTIONS, junk.answers(),
                junk.latency().p50Millis(), junk.latency().p99Millis(), junk.answersPerSecond()));
        table.add(String.format(Locale.ROOT, "   chat platform: %,d messages sent, %,d stored, %d lost, %d stored twice",
                stats.sent(), ledger.stored(), ledger.lost().size(), ledger.duplicated().size()));
        keys.put("forged_promoted", trial.rolledBack() ? "0" : trial.succeeded() ? "1" : "NA");
    }

    private static String randomSecret() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
