package dev.botshift.demo;

import dev.botshift.core.InvalidInputException;
import dev.botshift.os.CleanUpOnSignal;
import dev.botshift.platform.StateOptions;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Outcome;
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

    /** @param polling the bot long-polls: the story of {@link PollingDemo} (docs/polling.md) */
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
        err.println("Starting embedded PostgreSQL...");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                // the contract rehearsal reads what green runs from pg_stat_statements (docs/schema-engine.md)
                .setServerConfig("shared_preload_libraries", "pg_stat_statements").start()) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
            env.put("DB_USER", "postgres");
            // a password like a real one, so the demo shows it never leaks (embedded PostgreSQL trusts local users)
            env.put("DB_PASSWORD", "demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8)));
            int port = dev.botshift.os.ListenPort.pick();
            DemoRollouts rollouts = new DemoRollouts(state, env, json, out, err);
            try {
                return polling ? new PollingDemo(rollouts, demoDir).run(env, port, stateDir, wallStart)
                        : webhooks(rollouts, demoDir, env, port, wallStart);
            } finally {
                deleteQuietly(stateDir);
            }
        }
    }

    /** The story for a bot that takes webhooks: a chat platform posts to the router's one webhook URL. */
    private int webhooks(DemoRollouts rollouts, Path demoDir, Map<String, String> env, int port, Instant wallStart)
            throws Exception {
        Plan v1 = DemoRollouts.load(demoDir.resolve("plan-v1.yaml"), env, port, null);
        Plan faulty = DemoRollouts.load(demoDir.resolve("plan-v2-faulty.yaml"), env, port, null);
        Plan good = DemoRollouts.load(demoDir.resolve("plan-v2.yaml"), env, port, null);
        ChatPlatform chats = null;
        try {
            rollouts.say("Release 1.0.0 (v1) goes live as blue: baseline schema, 2 processes, router on :" + port);
            Outcome first = rollouts.rollout(v1);
            if (!(first instanceof Outcome.Succeeded)) {
                throw new IllegalStateException("v1 did not go live: " + first.state().phase().code());
            }
            chats = ChatPlatform.builder(URI.create("http://127.0.0.1:" + port + "/webhook"))
                    .chats(60).rate(120).redeliveryBackoff(Duration.ofMillis(200)).build();
            chats.start();
            rollouts.say("A chat platform sends 120 messages/s from 60 chats to the one webhook URL; a failed delivery"
                    + " is redelivered with the same update id.");
            Thread.sleep(2000);

            List<DemoSummary.Scenario> scenarios = new ArrayList<>();
            rollouts.say("");
            rollouts.say("Scenario 1: release 2.0.0 has a bug (40 % of updates fail). Botshift should roll it back by"
                    + " itself.");
            chats.mark("2.0.0");
            scenarios.add(rollouts.scenario(faulty, "2.0.0"));
            Thread.sleep(1000);
            rollouts.say("");
            rollouts.say("Scenario 2: release 2.0.1 is good: expand, green up, 10/25/50/100 %, bake, drain blue,"
                    + " contract, tear down.");
            chats.mark("2.0.1");
            scenarios.add(rollouts.scenario(good, "2.0.1"));
            Thread.sleep(1000);

            rollouts.say("Stopping the chat platform and checking every update against the database...");
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
            return rollouts.report(summary, summary.asExpected(), stats, "Demo passed: the bad release was rolled back"
                    + " by itself, the good one promoted and contracted, and no message was lost or stored twice.");
        } finally {
            CleanUpOnSignal.beforeCleanUp();
            try {
                if (chats != null) {
                    chats.stop(Duration.ofSeconds(5));
                }
            } finally {
                rollouts.say("Cleaning up: stopping the bots and the router.");
                rollouts.tearDown(good);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
