package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.display.EventLog;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.os.ListenPort;
import dev.botshift.plan.NotifySpec;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.plan.VerifySpec;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Until;
import dev.botshift.testing.Slow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rollout on the embedded default (v1 goes live, then v2 is shifted in under live chat traffic, its router
 * verifying Telegram's secret token), with a recognisable database password, webhook URL and webhook secret in the
 * environment: none appears in any byte of output, the event log, the state document and its history, the router's
 * log or the bots' logs; the router process's environment holds the webhook secret and none of the database
 * credentials, and neither the secret nor the router's admin token is in a process's arguments.
 */
@Slow
class SecretsTest {
    static final String PASSWORD = "S3cret-canary-db-90210";
    static final String WEBHOOK = "https://hooks.chat.invalid/services/S3cret-canary-hook-31337";
    static final String HOOK_SECRET = "S3cret-canary-tg_4242";
    static final Path DEMO = CorpusWorkspace.REPO.resolve("examples/sentiment-bot/demo");

    @TempDir
    Path stateDir;

    @Test
    void aRolloutNeverPrintsOrStoresTheSecrets() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DB_URL", SharedPostgres.database("secrets"));
        env.put("DB_USER", "postgres");
        env.put("DB_PASSWORD", PASSWORD);
        env.put("BOTSHIFT_TEST_WEBHOOK", WEBHOOK);
        env.put("BOTSHIFT_TEST_HOOK_SECRET", HOOK_SECRET);
        int port = freePort();
        Plan v1 = shortened(PlanLoader.load(DEMO.resolve("plan-v1.yaml"), env), port, null);
        Plan v2 = shortened(PlanLoader.load(DEMO.resolve("plan-v2.yaml"), env), port,
                new VerifySpec("telegram", "BOTSHIFT_TEST_HOOK_SECRET", null));
        StateOptions state = StateOptions.local(stateDir);

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(sink);
        System.setErr(sink);
        ChatPlatform chats = null;
        Map<String, String> router = Map.of();
        try {
            assertThat(session(v1, state, env, sink)).isInstanceOf(Outcome.Succeeded.class);
            chats = ChatPlatform.builder(URI.create("http://127.0.0.1:" + port + "/webhook")).chats(20).rate(60)
                    .redeliveryBackoff(Duration.ofMillis(200)).secretToken(HOOK_SECRET).build();
            chats.start();
            Outcome second = session(v2, state, env, sink);
            sink.println(second);
            assertThat(second).as(captured.toString(StandardCharsets.UTF_8)).isInstanceOf(Outcome.Succeeded.class);
            router = procOfRouter(v2);
        } finally {
            if (chats != null) {
                chats.stop(Duration.ofSeconds(5));
            }
            Platforms.tearDownLocal(v2, state, sink);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }

        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("SUCCEEDED");
        assertNoSecret("stdout/stderr, event log", output);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(stateDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("state, router log and bot logs were written")
                .anyMatch(p -> p.toString().endsWith("state.json")).anyMatch(p -> p.toString().endsWith(".log"));
        for (Path f : files) {
            assertNoSecret(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        assertThat(router).as("/proc of the router (Linux)").isNotEmpty();
        String token = router.get("token");
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        for (Path f : files) {
            if (!f.getFileName().toString().equals("admin-token")) {
                assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(token);
            }
        }
        assertThat(output).doesNotContain(token);

        // the router process, as /proc showed it while it ran: the webhook secret, no database credential
        List<String> environ = List.of(router.get("environ").split("\0"));
        assertThat(environ).contains("BOTSHIFT_TEST_HOOK_SECRET=" + HOOK_SECRET);
        assertThat(environ).noneMatch(v -> v.startsWith("DB_URL=") || v.startsWith("DB_USER=") || v.startsWith("DB_PASSWORD="));
        assertThat(router.get("environ")).doesNotContain(PASSWORD).doesNotContain("S3cret-canary-hook");
        assertThat(router.get("cmdline")).contains("--verify").contains("BOTSHIFT_TEST_HOOK_SECRET")
                .doesNotContain(HOOK_SECRET).doesNotContain(PASSWORD).doesNotContain(token);
    }

    /** The router's /proc entries, read while it still runs (it is stopped in the finally block). */
    private Map<String, String> procOfRouter(Plan plan) throws IOException {
        Path record = stateDir.resolve(plan.name()).resolve("router").resolve("router-process.json");
        long pid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.toFile()).path("pid").asLong();
        Path proc = Path.of("/proc", Long.toString(pid));
        if (!Files.isDirectory(proc)) {
            return Map.of();
        }
        return Map.of("environ", Files.readString(proc.resolve("environ"), StandardCharsets.ISO_8859_1),
                "cmdline", Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1),
                "token", Files.readString(record.resolveSibling("admin-token"), StandardCharsets.ISO_8859_1));
    }

    private static void assertNoSecret(String where, String text) {
        assertThat(text).as(where).doesNotContain(PASSWORD).doesNotContain("S3cret-canary-hook")
                .doesNotContain("hooks.chat.invalid").doesNotContain(HOOK_SECRET);
    }

    private static Outcome session(Plan plan, StateOptions state, Map<String, String> env, PrintStream out)
            throws InterruptedException {
        return new RolloutSession(plan, Platforms.factory(state, Platforms.schemaMigrator(plan, out::println), env), env, out)
                .listener(new EventLog(out)).run(RolloutSession.Mode.DEPLOY, null, Until.FAILURE);
    }

    /** The demo plan with two quick steps, the test's router port and a notification webhook from the environment. */
    private static Plan shortened(Plan p, int port, VerifySpec verify) {
        TrafficSpec t = p.traffic();
        TrafficSpec quick = new TrafficSpec(t.router(), t.stickyBy(), List.of(50, 100), Duration.ofSeconds(2), port,
                t.resource(), verify);
        return new Plan(p.name(), p.release(), p.database(), p.workload(), quick, p.analysis(), Duration.ofSeconds(1),
                p.approval(), new NotifySpec("BOTSHIFT_TEST_WEBHOOK"), p.source());
    }

    private static int freePort() {
        return ListenPort.pick(); // below the ephemeral range: no outgoing connection takes it first
    }
}
