package dev.botshift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Slot;
import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.os.CleanUpOnSignal;
import dev.botshift.os.ListenPort;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Until;
import dev.botshift.state.local.FileStateStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What parts 2 and 4 share: embedded PostgreSQL, the Botshift router on one port, and real rollouts of the sample bot
 * driven in this process through {@link RolloutSession} exactly as {@code botshift deploy} drives them, on
 * {@code benchmarks/plans/bench.yaml}. The rollouts' own progress goes to {@code benchmarks/target/rollouts.log}.
 */
final class RolloutRig implements AutoCloseable {

    /**
     * One release to deploy: its version, changelog, fault rate and (optionally) the file whose creation switches its
     * faults on (the sample bot's {@code BOT_FAULT_FILE}; null: faults from the start).
     */
    record Release(String version, String changelog, double faultRate, Path faultFile, Duration step) {
        static Release healthy(String version, double backgroundRate, Duration step) {
            return new Release(version, "changelog-v2.yaml", backgroundRate, null, step);
        }
    }

    /** The chat platform's first chat id: its chats are FIRST_CHAT, FIRST_CHAT + 1, ... */
    static final long FIRST_CHAT = 1000;
    private final Path repo;
    private final Path planFile;
    private final EmbeddedPostgres postgres;
    private final Map<String, String> env = new HashMap<>(System.getenv());
    private final Path stateDir;
    private final StateOptions state;
    private final PrintStream log;
    private final int port;
    private Plan lastPlan;

    RolloutRig(Path repo) throws IOException {
        this(repo, repo.resolve("benchmarks/plans/bench.yaml"), Map.of());
    }

    /** A rig on another plan file; {@code extraEnv} joins the variables its {@code ${env:...}} may read. */
    RolloutRig(Path repo, Path planFile, Map<String, String> extraEnv) throws IOException {
        this.repo = repo;
        this.planFile = planFile;
        env.putAll(extraEnv);
        this.postgres = EmbeddedPostgres.builder().start();
        this.port = ListenPort.pick();
        env.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        env.put("DB_USER", "postgres");
        env.put("DB_PASSWORD", "");
        this.stateDir = Files.createTempDirectory("botshift-bench-");
        this.state = StateOptions.local(stateDir);
        Files.createDirectories(repo.resolve("benchmarks/target"));
        this.log = new PrintStream(new FileOutputStream(repo.resolve("benchmarks/target/rollouts.log").toFile(), true),
                true);
    }

    /** Deploys a release and waits for the rollout's outcome. */
    RolloutTrial deploy(Release release) throws InterruptedException {
        Map<String, String> planEnv = planEnv(env, release, port);
        Plan plan = PlanLoader.load(planFile, planEnv);
        lastPlan = plan;
        log.println("=== deploy " + release);
        Instant start = Instant.now();
        Outcome outcome = new RolloutSession(plan, Platforms.factory(state, Platforms.schemaMigrator(plan, log::println), planEnv),
                planEnv, log).run(RolloutSession.Mode.DEPLOY, null, Until.FAILURE);
        return new RolloutTrial(release, start, Instant.now(), outcome);
    }

    /**
     * What a benchmark plan reads for one release: {@code base} (the database, a part's own variables) and the
     * release's {@code BENCH_*} variables; {@code BenchPlansTest} loads both plan files with it.
     */
    static Map<String, String> planEnv(Map<String, String> base, Release release, int port) {
        Map<String, String> planEnv = new HashMap<>(base);
        planEnv.put("BENCH_RELEASE", release.version());
        planEnv.put("BENCH_CHANGELOG", "../../examples/sentiment-bot/db/" + release.changelog());
        planEnv.put("BENCH_FAULT_RATE", String.valueOf(release.faultRate()));
        planEnv.put("BENCH_FAULT_FILE", release.faultFile() == null ? "" : release.faultFile().toString());
        planEnv.put("BENCH_STEP", release.step().toMillis() + "ms");
        planEnv.put("BENCH_PORT", String.valueOf(port));
        return planEnv;
    }

    /** The rollout's state as last stored (what {@code botshift status} reads), or empty before the first deploy. */
    Optional<RolloutState> state() {
        if (lastPlan == null) {
            return Optional.empty();
        }
        return new FileStateStore(stateDir).read(lastPlan.name()).map(v -> RolloutStateCodec.decode(v.json()));
    }

    /** A chat platform sending to the router's webhook; not started. */
    ChatPlatform chats(int chats, double rate) {
        return chats(chats, rate, null);
    }

    /** The same, every update carrying Telegram's secret token header ({@code secretToken} null: none). */
    ChatPlatform chats(int chats, double rate, String secretToken) {
        return ChatPlatform.builder(URI.create("http://127.0.0.1:" + port + "/webhook"))
                .chats(chats).firstChatId(FIRST_CHAT).rate(rate).redeliveryBackoff(Duration.ofMillis(200))
                .secretToken(secretToken).build();
    }

    URI routerWebhook() {
        return URI.create("http://127.0.0.1:" + port + "/webhook");
    }

    /** The webhook of one of a colour's bot processes, as the local platform recorded it. */
    URI botWebhook(Slot slot) throws IOException {
        Path file = stateDir.resolve(lastPlan.name()).resolve("workloads").resolve(slot.label() + ".json");
        JsonNode instance = new ObjectMapper().readTree(file.toFile()).path("instances").path(0);
        return URI.create("http://127.0.0.1:" + instance.path("port").asInt() + "/webhook");
    }

    ChatLedger ledger(ChatPlatform platform) throws SQLException {
        try (Connection c = DriverManager.getConnection(env.get("DB_URL"), "postgres", "")) {
            return platform.verify(c);
        }
    }

    @Override
    public void close() throws IOException {
        CleanUpOnSignal.beforeCleanUp();
        try {
            if (lastPlan != null) {
                Platforms.tearDownLocal(lastPlan, state, log);
            }
        } finally {
            postgres.close();
            log.close();
            try (var walk = Files.walk(stateDir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
