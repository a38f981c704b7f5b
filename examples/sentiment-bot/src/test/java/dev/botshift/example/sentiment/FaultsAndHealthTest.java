package dev.botshift.example.sentiment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.botshift.example.sentiment.SentimentBotTest.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault injection as the judge sees it in /metrics, and health as a load balancer sees it. Slow (starts PostgreSQL and
 * the bot for real): runs in {@code mvn verify}, not in the fast lane.
 */
@Tag("slow")
class FaultsAndHealthTest {

    private static TestDatabase postgres;
    private static String url;
    private final List<RunningBot> bots = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = new TestDatabase();
        url = postgres.create();
        postgres.migrate(url, "changelog-v2.yaml", "@expand");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stopBots() {
        bots.forEach(bot -> bot.stop(Duration.ZERO));
    }

    private BotClient start(String dbUrl, double rate, double silentRate, Duration after) {
        RunningBot bot = SentimentBot.start(
                new BotConfig(0, "2.0.0", "b", dbUrl, "postgres", "", rate, silentRate, after, null, null));
        bots.add(bot);
        return new BotClient(bot);
    }

    @Test
    void loudFaultsAnswer500StoreNothingAndAreCounted() throws Exception {
        BotClient client = start(url, 1.0, 0, Duration.ZERO);

        for (long id = 1000; id < 1005; id++) {
            assertThat(client.post(BotClient.update(id, 9, "good")).statusCode()).isEqualTo(500);
        }

        assertThat(query(url, "SELECT count(*) FROM user_interactions WHERE update_id BETWEEN 1000 AND 1004"))
                .isEqualTo("0");
        assertThat(client.metric("bot_handler_errors_total", "answered=\"5xx\"", "slot=\"b\"")).isEqualTo(5.0);
        assertThat(client.metric("bot_requests_total", "outcome=\"error\"")).isEqualTo(5.0);
        assertThat(client.metric("bot_request_duration_seconds_count", "slot=\"b\"")).isEqualTo(5.0);
    }

    @Test
    void silentFaultsStoreAndAnswer200ButCountAsHandlerErrors() throws Exception {
        BotClient client = start(url, 0, 1.0, Duration.ZERO);

        for (long id = 2000; id < 2004; id++) {
            assertThat(client.post(BotClient.update(id, 9, "good")).statusCode()).isEqualTo(200);
        }

        assertThat(query(url, "SELECT count(*) FROM user_interactions WHERE update_id BETWEEN 2000 AND 2003"))
                .isEqualTo("4");
        assertThat(client.metric("bot_handler_errors_total", "answered=\"2xx\"")).isEqualTo(4.0);
        assertThat(client.metric("bot_handler_errors_total", "answered=\"5xx\"")).isZero();
        assertThat(client.metric("bot_requests_total", "outcome=\"ok\"")).isZero();
    }

    @Test
    void aPartialFaultRateFailsRoughlyThatFraction() throws Exception {
        BotClient client = start(url, 0.5, 0, Duration.ZERO);
        int failed = 0;
        for (long id = 3000; id < 3100; id++) {
            failed += client.post(BotClient.update(id, 9, "ok")).statusCode() == 500 ? 1 : 0;
        }
        // Binomial(100, 0.5): these bounds are five standard deviations out.
        assertThat(failed).isBetween(25, 75);
        assertThat(client.metric("bot_handler_errors_total", "answered=\"5xx\"")).isEqualTo(failed);
    }

    @Test
    void faultsWaitForFaultAfter() throws Exception {
        BotClient client = start(url, 1.0, 1.0, Duration.ofHours(1));

        assertThat(client.post(BotClient.update(4000, 9, "fine")).statusCode()).isEqualTo(200);
        assertThat(client.metric("bot_handler_errors_total", "answered=\"2xx\"")).isZero();
    }

    @Test
    void faultsBeginAtFaultAtOnTheWallClock() throws Exception {
        java.time.Instant at = java.time.Instant.now().plusMillis(1500);
        RunningBot bot = SentimentBot.start(
                new BotConfig(0, "2.0.0", "b", url, "postgres", "", 1.0, 0, Duration.ZERO, at, null));
        bots.add(bot);
        BotClient client = new BotClient(bot);

        assertThat(client.post(BotClient.update(4100, 9, "before")).statusCode()).isEqualTo(200);
        Thread.sleep(Math.max(0, Duration.between(java.time.Instant.now(), at).toMillis() + 50));
        assertThat(client.post(BotClient.update(4101, 9, "after")).statusCode()).isEqualTo(500);
    }

    @Test
    void faultsBeginOnceTheFaultFileExists(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("fault-now");
        RunningBot bot = SentimentBot.start(
                new BotConfig(0, "2.0.0", "b", url, "postgres", "", 1.0, 0, Duration.ZERO, null, file));
        bots.add(bot);
        BotClient client = new BotClient(bot);

        assertThat(client.post(BotClient.update(4200, 9, "before")).statusCode()).isEqualTo(200);
        java.nio.file.Files.createFile(file);
        // The bot looks at the switch at most every 50 ms: after 100 ms every update must fail.
        Thread.sleep(100);
        assertThat(client.post(BotClient.update(4201, 9, "after")).statusCode()).isEqualTo(500);
        java.nio.file.Files.delete(file);
        Thread.sleep(100);
        assertThat(client.post(BotClient.update(4202, 9, "healed")).statusCode()).isEqualTo(200);
    }

    @Test
    void aFaultDelaySlowsEveryAnswerWhileTheFaultFileExistsAndNothingFails(@org.junit.jupiter.api.io.TempDir
                                                                          java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("slow-now");
        RunningBot bot = SentimentBot.start(new BotConfig(0, "2.0.0", "b", url, "postgres", "", 0, 0, Duration.ZERO,
                null, file, Duration.ofMillis(300)));
        bots.add(bot);
        BotClient client = new BotClient(bot);

        assertThat(timedPost(client, 4300)).isLessThan(250);
        java.nio.file.Files.createFile(file);
        Thread.sleep(100); // the bot looks at the switch at most every 50 ms
        assertThat(timedPost(client, 4301)).isGreaterThanOrEqualTo(300);
        java.nio.file.Files.delete(file);
        Thread.sleep(100);
        assertThat(timedPost(client, 4302)).isLessThan(250);
    }

    /**
     * A release that answers webhooks slowly must still be judged: with every webhook thread held by a slow webhook
     * and more queued, {@code /metrics} and {@code /healthz} answer at once (Botshift reads them with a 2 s limit).
     */
    @Test
    void metricsAndHealthAnswerAtOnceWhileEveryWebhookThreadIsBusy() throws Exception {
        RunningBot bot = SentimentBot.start(new BotConfig(0, "2.0.0", "b", url, "postgres", "", 0, 0, Duration.ZERO,
                null, null, Duration.ofSeconds(3)));
        bots.add(bot);
        BotClient client = new BotClient(bot);
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newCachedThreadPool();
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < SentimentBot.WEBHOOK_THREADS + 2; i++) {
                long id = 4400 + i;
                slow.add(senders.submit(() -> client.post(BotClient.update(id, 9, "slow"))));
            }
            Thread.sleep(300); // every webhook thread asleep in its 3 s
            long started = System.nanoTime();
            assertThat(client.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(client.get("/healthz").statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms for /metrics and /healthz").isLessThan(1_000);
            for (var answer : slow) {
                assertThat(answer.get(20, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    /** Milliseconds one update took to be answered 200. */
    private static long timedPost(BotClient client, long id) throws Exception {
        long started = System.nanoTime();
        assertThat(client.post(BotClient.update(id, 9, "good")).statusCode()).isEqualTo(200);
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void healthIs200WhenTheDatabaseAnswersAnd503WhileDraining() throws Exception {
        RunningBot bot = SentimentBot.start(
                new BotConfig(0, "1.0.0", "a", url, "postgres", "", 0, 0, Duration.ZERO, null, null));
        bots.add(bot);
        BotClient client = new BotClient(bot);
        assertThat(client.get("/healthz").statusCode()).isEqualTo(200);

        bot.drain();

        HttpResponse<String> health = client.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("draining");
        // Draining only takes the bot out of rotation: a delivery that still arrives is served.
        assertThat(client.post(BotClient.update(5000, 9, "hi")).statusCode()).isEqualTo(200);
    }

    @Test
    void startsWithoutADatabaseAndReports503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BotClient client = start("jdbc:postgresql://127.0.0.1:" + closedPort + "/none", 0, 0, Duration.ZERO);

        HttpResponse<String> health = client.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("database unavailable");
        assertThat(client.post(BotClient.update(6000, 9, "hi")).statusCode()).isEqualTo(500);
    }
}
