package dev.botshift.demo;

import dev.botshift.os.CleanUpOnSignal;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PollingSpec;
import dev.botshift.rollout.Outcome;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code botshift demo --polling}: the same story for a bot that long-polls (docs/polling.md). A fake Bot API on this
 * machine, the router's bridge its only {@code getUpdates} consumer, delivering each update to a colour like a
 * webhook; a faulty release rolled back, a good one promoted with the bridge killed at its first step; then the
 * handover of a bot that polls by itself ({@link HandoverDemo}).
 */
final class PollingDemo {
    private static final String BOT_TOKEN_ENV = "BOT_TOKEN";
    /**
     * The faulty release fails 40 % of attempts: with the default 8, an update that stays on it through a rollback
     * slowed by a busy machine can use them all up (0.4^8, about 1 in 1,500 such updates; 1 of 4,326 went to the
     * dead-letter file in one test run) and the ledger counts it lost. 20 attempts (about 2.5 minutes of backoff)
     * make that 1 in 10^8; every failed attempt still counts against the faulty release.
     */
    private static final int BRIDGE_MAX_ATTEMPTS = 20;

    private final DemoRollouts rollouts;
    private final Path demoDir;

    PollingDemo(DemoRollouts rollouts, Path demoDir) {
        this.rollouts = rollouts;
        this.demoDir = demoDir;
    }

    /** Tells the story with a fake Bot API on this machine; answers the exit code (0: as expected). */
    int run(Map<String, String> env, int port, Path stateDir, Instant wallStart) throws Exception {
        String token = "1000:" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        env.put(BOT_TOKEN_ENV, token);
        Plan good = null;
        HandoverDemo handover = new HandoverDemo(token, demoDir);
        FakeTelegramApi api = new FakeTelegramApi(token);
        try {
            PollingSpec bridge = new PollingSpec(BOT_TOKEN_ENV, api.baseUrl().toString(), "/webhook", null,
                    Duration.ofSeconds(2), BRIDGE_MAX_ATTEMPTS);
            Plan v1 = DemoRollouts.load(demoDir.resolve("plan-v1.yaml"), env, port, bridge);
            Plan faulty = DemoRollouts.load(demoDir.resolve("plan-v2-faulty.yaml"), env, port, bridge);
            good = DemoRollouts.load(demoDir.resolve("plan-v2.yaml"), env, port, bridge);
            say("A fake Telegram Bot API on " + api.baseUrl() + "; the router polls it (getUpdates) for the bot and "
                    + "delivers each update to a colour like a webhook.");
            say("Release 1.0.0 (v1) goes live as blue behind the polling router");
            Outcome first = rollouts.rollout(v1);
            if (!(first instanceof Outcome.Succeeded)) {
                throw new IllegalStateException("v1 did not go live: " + first.state().phase().code());
            }
            PolledChats chats = new PolledChats(api, 60);
            chats.start(50);
            say("60 chats send 50 messages/s to the bot; the router is the only one polling.");
            Thread.sleep(2000);
            List<DemoSummary.Scenario> scenarios = new ArrayList<>();
            say("");
            say("Scenario 1: release 2.0.0 has a bug (40 % of updates fail). The bridge retries, the judge rolls"
                    + " back.");
            scenarios.add(rollouts.scenario(faulty, "2.0.0"));
            Thread.sleep(1000);
            say("");
            say("Scenario 2: release 2.0.1 is good: expand, green up, 10/25/50/100 %, bake, drain blue, contract; "
                    + "at its first step the bridge crashes.");
            BridgeCrash crash = new BridgeCrash(stateDir.resolve(good.name()).resolve("router"), this::say);
            scenarios.add(rollouts.scenario(good, "2.0.1", crash));
            Double bridgeRestartSeconds = crash.restartSeconds();
            say("Stopping the chats, waiting for the bridge to deliver what is queued...");
            List<Long> sent = new ArrayList<>(chats.stop(Duration.ofSeconds(60)));
            say("");
            scenarios.addAll(handover.run(env, rollouts, this::say));
            say("Stopping the chats, waiting for the polling bot to take what is queued, checking the database...");
            sent.addAll(handover.stop(Duration.ofSeconds(60), this::say));
            ChatLedger ledger;
            try (Connection c = DriverManager.getConnection(env.get("DB_URL"), "postgres", env.get("DB_PASSWORD"))) {
                ledger = ChatLedger.of(sent, c);
            }
            if (!ledger.lost().isEmpty()) {
                // which half lost it: the handover's ids start at HandoverDemo.FIRST_UPDATE_ID
                say("Lost update ids (from " + HandoverDemo.FIRST_UPDATE_ID + " on: the handover's): "
                        + ledger.lost().stream().limit(20).toList());
            }
            long conflicts = (long) api.conflicts() + handover.conflicts();
            DemoSummary summary = new DemoSummary(scenarios, new DemoSummary.Messages(sent.size(), ledger.stored(),
                    ledger.lost().size(), ledger.duplicated().size(), conflicts, handover.maxGapSeconds(),
                    bridgeRestartSeconds),
                    Duration.between(wallStart, Instant.now()).toMillis() / 1000.0);
            boolean ok = summary.asExpected() && conflicts == 0 && bridgeRestartSeconds != null;
            return rollouts.report(summary, ok, null, "Demo passed: the polling bot's bad releases were rolled back (by"
                    + " the bridge's split, then by the reverse handover), the good ones promoted, no update lost or"
                    + " stored twice, and no 409 conflict.");
        } finally {
            CleanUpOnSignal.beforeCleanUp();
            say("Cleaning up: stopping the bots and the router.");
            if (good != null) {
                rollouts.tearDown(good);
            }
            if (handover.lastPlan() != null) {
                rollouts.tearDown(handover.lastPlan());
            }
            // after the bots: a polling bot that stops confirms its last updates to its API
            handover.close();
            api.close();
        }
    }

    private void say(String line) {
        rollouts.say(line);
    }
}
