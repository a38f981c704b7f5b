package dev.botshift.demo;

import dev.botshift.display.Display;
import dev.botshift.display.Displays;
import dev.botshift.display.EventLog;
import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.os.CleanUpOnSignal;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.plan.PollingSpec;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutSettings;
import dev.botshift.rollout.Until;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code botshift demo}: the whole story on one machine. Embedded PostgreSQL, v1 live behind the Botshift router,
 * a simulated chat platform sending real traffic; then a faulty v2 that the judge rolls back, and a good v2 that is
 * promoted, contracted and blue torn down. Nothing may be lost or stored twice.
 */
public final class Demo {
    /** Long enough for the tear-down: each colour's bots drain for up to 5 s, the router stops within 10 s. */
    private static final Duration CLEAN_UP_GRACE = Duration.ofSeconds(60);

    private final Path repo;
    private final boolean json;
    private final boolean polling;
    private final PrintStream out;
    private final PrintStream err;

    public Demo(Path repo, boolean json, PrintStream out, PrintStream err) {
        this(repo, json, false, out, err);
    }

    /** @param polling the bot long-polls: the router's bridge polls a {@link FakeTelegramApi} (docs/polling.md) */
    public Demo(Path repo, boolean json, boolean polling, PrintStream out, PrintStream err) {
        this.repo = repo;
        this.json = json;
        this.polling = polling;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the story; a Ctrl-C or SIGTERM on the way stops it and still tears down what it started (the bots, the
     * router, embedded PostgreSQL, the state directory) before the JVM ends (CleanUpOnSignal).
     */
    public int run() throws Exception {
        try (CleanUpOnSignal signal = CleanUpOnSignal.forThisThread(CLEAN_UP_GRACE, err, "botshift: stopped")) {
            return runToTheEnd();
        }
    }

    private int runToTheEnd() throws Exception {
        Path demoDir = repo.resolve("examples/sentiment-bot/demo");
        Path botJar = repo.resolve("examples/sentiment-bot/target/sentiment-bot.jar");
        if (!Files.isRegularFile(botJar)) {
            throw new InvalidInputException(botJar + " is missing: build it with 'mvn -B -q -DskipTests package' "
                    + "(the ./botshift launcher does it for you)");
        }
        Instant wallStart = Instant.now();
        Path stateDir = Files.createTempDirectory("botshift-demo-");
        StateOptions state = StateOptions.local(stateDir);
        say("Starting embedded PostgreSQL...");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                // the contract rehearsal reads what green runs from pg_stat_statements (docs/schema-engine.md)
                .setServerConfig("shared_preload_libraries", "pg_stat_statements").start()) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
            env.put("DB_USER", "postgres");
            // a password like a real one, so the demo shows it never leaks (embedded PostgreSQL trusts local users)
            env.put("DB_PASSWORD", "demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8)));
            int port = dev.botshift.os.ListenPort.pick();
            if (polling) {
                return runPolling(demoDir, env, port, state, stateDir, wallStart);
            }
            Plan v1 = load(demoDir.resolve("plan-v1.yaml"), env, port, null);
            Plan faulty = load(demoDir.resolve("plan-v2-faulty.yaml"), env, port, null);
            Plan good = load(demoDir.resolve("plan-v2.yaml"), env, port, null);
            ChatPlatform chats = null;
            try {
                say("Release 1.0.0 (v1) goes live as blue: baseline schema, 2 processes, router on :" + port);
                Outcome first = rollout(v1, state, env);
                if (!(first instanceof Outcome.Succeeded)) {
                    throw new IllegalStateException("v1 did not go live: " + first.state().phase().code());
                }
                chats = ChatPlatform.builder(URI.create("http://127.0.0.1:" + port + "/webhook"))
                        .chats(60).rate(120).redeliveryBackoff(Duration.ofMillis(200)).build();
                chats.start();
                say("A chat platform sends 120 messages/s from 60 chats to the one webhook URL; a failed delivery is "
                        + "redelivered with the same update id.");
                Thread.sleep(2000);

                List<DemoSummary.Scenario> scenarios = new ArrayList<>();
                say("");
                say("Scenario 1: release 2.0.0 has a bug (40 % of updates fail). Botshift should roll it back by itself.");
                chats.mark("2.0.0");
                scenarios.add(scenario(faulty, state, env, "2.0.0"));
                Thread.sleep(1000);
                say("");
                say("Scenario 2: release 2.0.1 is good: expand, green up, 10/25/50/100 %, bake, drain blue, contract, "
                        + "tear down.");
                chats.mark("2.0.1");
                scenarios.add(scenario(good, state, env, "2.0.1"));
                Thread.sleep(1000);

                say("Stopping the chat platform and checking every update against the database...");
                ChatStats stats = chats.stop(Duration.ofSeconds(30));
                chats = null;
                ChatLedger ledger;
                try (Connection c = DriverManager.getConnection(env.get("DB_URL"), "postgres", env.get("DB_PASSWORD"))) {
                    ledger = ChatLedger.of(stats.sentIds(), c);
                }
                for (int i = 0; i < scenarios.size(); i++) {
                    DemoSummary.Scenario sc = scenarios.get(i);
                    scenarios.set(i, sc.withSwitches(stats.maxSlotSwitches().getOrDefault(sc.release(), 0)));
                }
                DemoSummary summary = new DemoSummary(scenarios, new DemoSummary.Messages(stats.sent(), ledger.stored(),
                        ledger.lost().size(), ledger.duplicated().size(), null),
                        Duration.between(wallStart, Instant.now()).toMillis() / 1000.0);
                boolean ok = summary.asExpected();
                if (json) {
                    out.println(summary.toJson());
                } else {
                    out.println(summary.toText(stats));
                    out.println(ok ? "Demo passed: the bad release was rolled back by itself, the good one promoted and "
                            + "contracted, and no message was lost or stored twice."
                            : "Demo FAILED: see above.");
                }
                return ok ? 0 : 1;
            } finally {
                CleanUpOnSignal.beforeCleanUp();
                try {
                    if (chats != null) {
                        chats.stop(Duration.ofSeconds(5));
                    }
                } finally {
                    say("Cleaning up: stopping the bots and the router.");
                    Platforms.tearDownLocal(good, state, err);
                    deleteQuietly(stateDir);
                }
            }
        }
    }

    /** The same story for a bot that long-polls: the router is its single getUpdates consumer. */
    private int runPolling(Path demoDir, Map<String, String> env, int port, StateOptions state, Path stateDir,
                           Instant wallStart) throws Exception {
        String token = "1000:" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        env.put(BOT_TOKEN_ENV, token);
        Plan good = null;
        HandoverDemo handover = new HandoverDemo(token, demoDir);
        FakeTelegramApi api = new FakeTelegramApi(token);
        try {
            PollingSpec bridge = new PollingSpec(BOT_TOKEN_ENV, api.baseUrl().toString(), "/webhook", null,
                    Duration.ofSeconds(2), BRIDGE_MAX_ATTEMPTS);
            Plan v1 = load(demoDir.resolve("plan-v1.yaml"), env, port, bridge);
            Plan faulty = load(demoDir.resolve("plan-v2-faulty.yaml"), env, port, bridge);
            good = load(demoDir.resolve("plan-v2.yaml"), env, port, bridge);
            say("A fake Telegram Bot API on " + api.baseUrl() + "; the router polls it (getUpdates) for the bot and "
                    + "delivers each update to a colour like a webhook.");
            say("Release 1.0.0 (v1) goes live as blue behind the polling router");
            Outcome first = rollout(v1, state, env);
            if (!(first instanceof Outcome.Succeeded)) {
                throw new IllegalStateException("v1 did not go live: " + first.state().phase().code());
            }
            PolledChats chats = new PolledChats(api, 60);
            chats.start(50);
            say("60 chats send 50 messages/s to the bot; the router is the only one polling.");
            Thread.sleep(2000);
            List<DemoSummary.Scenario> scenarios = new ArrayList<>();
            say("");
            say("Scenario 1: release 2.0.0 has a bug (40 % of updates fail). The bridge retries, the judge rolls back.");
            scenarios.add(scenario(faulty, state, env, "2.0.0"));
            Thread.sleep(1000);
            say("");
            say("Scenario 2: release 2.0.1 is good: expand, green up, 10/25/50/100 %, bake, drain blue, contract; "
                    + "at its first step the bridge crashes.");
            BridgeCrash crash = new BridgeCrash(stateDir.resolve(good.name()).resolve("router"), this::say);
            scenarios.add(scenario(good, state, env, "2.0.1", crash));
            Double bridgeRestartSeconds = crash.restartSeconds();
            say("Stopping the chats, waiting for the bridge to deliver what is queued...");
            List<Long> sent = new ArrayList<>(chats.stop(Duration.ofSeconds(60)));
            say("");
            scenarios.addAll(handover.run(env, new HandoverDemo.Rollouts() {
                @Override
                public Outcome rollout(Plan plan) throws InterruptedException {
                    return Demo.this.rollout(plan, state, env);
                }

                @Override
                public DemoSummary.Scenario scenario(Plan plan, String label) throws InterruptedException {
                    return Demo.this.scenario(plan, state, env, label);
                }
            }, this::say));
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
            if (json) {
                out.println(summary.toJson());
            } else {
                out.println(summary.toText(null));
                out.println(ok ? "Demo passed: the polling bot's bad releases were rolled back (by the bridge's split, "
                        + "then by the reverse handover), the good ones promoted, no update lost or stored twice, and no "
                        + "409 conflict." : "Demo FAILED: see above.");
            }
            return ok ? 0 : 1;
        } finally {
            CleanUpOnSignal.beforeCleanUp();
            say("Cleaning up: stopping the bots and the router.");
            if (good != null) {
                Platforms.tearDownLocal(good, state, err);
            }
            if (handover.lastPlan() != null) {
                Platforms.tearDownLocal(handover.lastPlan(), state, err);
            }
            // after the bots: a polling bot that stops confirms its last updates to its API
            handover.close();
            api.close();
            deleteQuietly(stateDir);
        }
    }

    private static final String BOT_TOKEN_ENV = "BOT_TOKEN";
    /**
     * The faulty release fails 40 % of attempts: with the default 8, an update that stays on it through a rollback
     * slowed by a busy machine can use them all up (0.4^8, about 1 in 1,500 such updates; 1 of 4,326 went to the
     * dead-letter file in one test run) and the ledger counts it lost. 20 attempts (about 2.5 minutes of backoff)
     * make that 1 in 10^8; every failed attempt still counts against the faulty release.
     */
    private static final int BRIDGE_MAX_ATTEMPTS = 20;

    private DemoSummary.Scenario scenario(Plan plan, StateOptions state, Map<String, String> env, String label)
            throws InterruptedException {
        return scenario(plan, state, env, label, null);
    }

    /** @param also a listener of the rollout's events besides the display (the bridge's crash), or null */
    private DemoSummary.Scenario scenario(Plan plan, StateOptions state, Map<String, String> env, String label,
                                          RolloutListener also) throws InterruptedException {
        Instant start = Instant.now();
        Outcome o = rollout(plan, state, env, also);
        double duration = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        Double rollbackSeconds = o instanceof Outcome.RolledBack ? rollbackSeconds(o) : null;
        String outcome = o instanceof Outcome.RolledBack ? "ROLLED_BACK" : o instanceof Outcome.Succeeded ? "SUCCEEDED"
                : o.state().phase().code();
        say("=> " + label + ": " + outcome + (rollbackSeconds != null
                ? String.format(java.util.Locale.ROOT, " (green back to 0 %% %.1f s after it first got traffic)", rollbackSeconds) : ""));
        return new DemoSummary.Scenario(label, outcome, rollbackSeconds, duration, 0,
                o instanceof Outcome.RolledBack r ? r.reason() : null);
    }

    /** From the first moment green had traffic to the moment it had none again. */
    static Double rollbackSeconds(Outcome o) {
        Instant onset = null;
        Instant back = null;
        for (RolloutEvent e : o.state().history()) {
            if (e instanceof RolloutEvent.TrafficShifted t) {
                if (onset == null && t.split().green() > 0) {
                    onset = t.at();
                } else if (onset != null && t.split().green() == 0 && back == null) {
                    back = t.at();
                }
            } else if (e instanceof RolloutEvent.GuardTripped g && onset != null && back == null) {
                back = g.at(); // the router cut green itself, before the rollback set the split
            }
        }
        return onset == null || back == null ? null : Duration.between(onset, back).toMillis() / 1000.0;
    }

    private Outcome rollout(Plan plan, StateOptions state, Map<String, String> env) throws InterruptedException {
        return rollout(plan, state, env, null);
    }

    private Outcome rollout(Plan plan, StateOptions state, Map<String, String> env, RolloutListener also)
            throws InterruptedException {
        Display display = json ? new EventLog(err) : Displays.forTerminal(err, RolloutSettings.from(plan));
        RolloutSession session = new RolloutSession(plan, Platforms.factory(state, Platforms.schemaMigrator(plan,
                display.progress()::println), env), env, display.progress()).listener(display);
        if (also != null) {
            session.listener(also);
        }
        return session.run(RolloutSession.Mode.DEPLOY, null, Until.FAILURE);
    }

    /** @param polling the bridge's settings for a polling bot, or null for webhooks */
    private static Plan load(Path file, Map<String, String> env, int port, PollingSpec polling) {
        Plan p = PlanLoader.load(file, env);
        TrafficSpec t = p.traffic();
        TrafficSpec routed = new TrafficSpec(t.router(), t.stickyBy(), t.steps(), t.stepDuration(), port, t.resource(),
                null, polling == null ? TrafficSpec.WEBHOOK : TrafficSpec.TELEGRAM_POLLING, polling);
        return new Plan(p.name(), p.release(), p.database(), p.workload(), routed, p.analysis(), p.bake(), p.approval(),
                p.notifications(), p.source());
    }

    private void say(String line) {
        err.println(line);
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
