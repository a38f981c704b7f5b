package dev.botshift.traffic.router;

import dev.botshift.kubernetes.testing.Eventually;
import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.testing.Slow;
import dev.botshift.traffic.WeightCheck;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Slow
class RouterOperationsTest extends RouterPerTest {
    @Test
    void weightChangesUnderConcurrentLoadDropNoRequest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<List<Integer>>> senders = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            senders.add(pool.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; running.get() || i < 50; i++) {
                    statuses.add(fixture.post("/webhook", RouterFixture.update(thread * 100_000L + i)).statusCode());
                }
                return statuses;
            }));
        }
        for (int step : List.of(5, 25, 50, 100, 50, 0, 75, 100)) {
            fixture.client.setWeights(Weights.canary(Slot.B, step));
            Thread.sleep(50);
        }
        running.set(false);
        List<Integer> all = new ArrayList<>();
        for (Future<List<Integer>> sender : senders) {
            all.addAll(sender.get());
        }
        pool.shutdown();
        assertThat(all).hasSizeGreaterThanOrEqualTo(300).containsOnly(200);
        // the router records a request once its response is complete, a moment after the client has the answer
        Eventually.await(Duration.ofSeconds(5), "every answered request counted", () -> {
            RouterStats stats = fixture.client.stats();
            return stats.of(Slot.A).requests() + stats.of(Slot.B).requests() == all.size();
        });
    }

    @Test
    void statsCountRequestsAndServerErrorsPerColour() throws IOException, InterruptedException {
        fixture.green.answering(500);
        fixture.client.setWeights(new Weights(50, 50));
        int blue = 0;
        int green = 0;
        for (int i = 0; i < 200; i++) {
            // valid updates (200 chats over the buckets): the latency histogram holds the requests the judge weighs
            HttpResponse<String> response = fixture.post("/webhook",
                    "{\"update_id\":" + i + ",\"message\":{\"chat\":{\"id\":" + i + "}}}");
            if (response.statusCode() == 500) {
                green++;
                assertThat(response.headers().firstValue(RoutingHandler.SLOT_HEADER)).contains("b");
            } else {
                blue++;
            }
        }
        RouterStats stats = fixture.client.stats();
        assertThat(stats.of(Slot.A).requests()).isEqualTo(blue);
        assertThat(stats.of(Slot.A).serverErrors()).isZero();
        assertThat(stats.of(Slot.B).requests()).isEqualTo(green);
        assertThat(stats.of(Slot.B).serverErrors()).isEqualTo(green);
        assertThat(stats.of(Slot.A).p99Seconds()).isGreaterThan(0).isGreaterThanOrEqualTo(stats.of(Slot.A).p50Seconds());

        HttpResponse<String> metrics = fixture.admin("/metrics");
        assertThat(metrics.body())
                .contains("botshift_router_requests_total{code_class=\"5xx\",slot=\"b\"} " + green)
                .contains("botshift_router_requests_total{code_class=\"2xx\",slot=\"a\"} " + blue)
                .contains("botshift_router_request_duration_seconds_count{slot=\"a\"} " + blue);
    }

    @Test
    void anUnreachableBackendIsA502CountedAgainstItsColour() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        fixture.client.setBackends(Slot.B, List.of(closed));
        fixture.client.setWeights(Weights.allTo(Slot.B));

        HttpResponse<String> response = fixture.post("/webhook", RouterFixture.update(7));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue(RoutingHandler.SLOT_HEADER)).contains("b");
        Eventually.await(Duration.ofSeconds(5), "the 502 counted against green",
                () -> fixture.client.stats().of(Slot.B).serverErrors() == 1);
        assertNothingInFlight();
    }

    /**
     * An instance that died (its port refuses connections) costs its colour no 502 while another instance lives: the
     * webhook, which never reached it, goes to the next one, whole, and is counted once.
     */
    @Test
    void aRefusedConnectionIsTriedOnTheColoursNextInstance() throws IOException {
        URI closed = closedPort();
        fixture.client.setBackends(Slot.A, List.of(closed, fixture.blue2.uri()));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            statuses.add(fixture.post("/webhook?x=" + i, RouterFixture.update(40 + i)).statusCode());
        }

        assertThat(statuses).containsOnly(200);
        assertThat(fixture.blue2.requests()).as("every webhook reached the live instance").isEqualTo(10);
        assertThat(fixture.blue2.lastBody()).isEqualTo(RouterFixture.update(49));
        assertThat(fixture.blue2.lastPath()).isEqualTo("/webhook?x=9");
        Eventually.await(Duration.ofSeconds(5), "each webhook counted once, none as an error", () -> {
            RouterStats.SlotStats blue = fixture.client.stats().of(Slot.A);
            return blue.requests() == 10 && blue.serverErrors() == 0;
        });

        // with no instance left that would take it, the refusal is the colour's 502, as before
        fixture.client.setBackends(Slot.A, List.of(closed, closedPort()));
        assertThat(fixture.post("/webhook", RouterFixture.update(7)).statusCode()).isEqualTo(502);
        assertNothingInFlight();
    }

    /**
     * A webhook written to an instance that is dying (killed, its port still accepting while its memory is freed) or
     * on a kept connection it had closed meets a reset, the webhook unread: like a refusal, it goes to the colour's
     * next instance. One the bot read and then broke off without a byte of an answer may have been handled: a 502 of its
     * colour, sent nowhere else.
     */
    @Test
    void aWebhookTheBotResetUnreadIsTriedOnTheNextInstanceOneItReadIsNot() throws Exception {
        try (BreakingBot resetting = new BreakingBot(BreakingBot.Ending.RESET_UNREAD);
             BreakingBot closing = new BreakingBot(BreakingBot.Ending.CLOSE_AFTER_READING)) {
            fixture.client.setBackends(Slot.A, List.of(resetting.uri(), fixture.blue2.uri()));
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(fixture.post("/webhook", RouterFixture.update(60 + i)).statusCode());
            }
            assertThat(statuses).containsOnly(200);
            assertThat(resetting.webhooks()).as("webhooks the resetting instance was sent").isPositive();
            assertThat(fixture.blue2.requests()).as("every webhook answered by the live instance").isEqualTo(6);
            Eventually.await(Duration.ofSeconds(5), "each webhook counted once, none as an error", () -> {
                RouterStats.SlotStats blue = fixture.client.stats().of(Slot.A);
                return blue.requests() == 6 && blue.serverErrors() == 0;
            });

            fixture.client.setBackends(Slot.A, List.of(closing.uri(), fixture.blue2.uri()));
            statuses.clear();
            for (int i = 0; i < 6; i++) {
                statuses.add(fixture.post("/webhook", RouterFixture.update(70 + i)).statusCode());
            }
            assertThat(statuses).as("round robin: every other webhook to the instance that read it and closed")
                    .containsOnly(200, 502).filteredOn(s -> s == 502).hasSize(closing.webhooks());
            assertThat(closing.webhooks()).isEqualTo(3);
            assertThat(fixture.blue2.requests()).as("no webhook the closing instance read was sent again").isEqualTo(9);
            assertNothingInFlight();
        }
    }

    /**
     * Green of one instance, killed: every webhook its connection refused goes to blue, which has traffic too, and is
     * counted as blue's (no 502, nothing for green's error count; its death is judged as a restart). A colour the split
     * gives nothing takes none: green alone refusing is a 502, as is blue refusing after a rollback.
     */
    @Test
    void aColourWhoseEveryInstanceRefusedPassesTheWebhookToTheOtherWhileItHasTraffic() throws Exception {
        fixture.client.setBackends(Slot.B, List.of(closedPort()));
        fixture.client.setWeights(new Weights(50, 50));
        int before = fixture.blue1.requests() + fixture.blue2.requests();
        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = fixture.post("/webhook", RouterFixture.update(100 + i));
            assertThat(r.statusCode()).isEqualTo(200);
            answeredBy.add(r.headers().firstValue(RoutingHandler.SLOT_HEADER).orElse("?"));
        }
        assertThat(answeredBy).containsOnly("a");
        assertThat(fixture.blue1.requests() + fixture.blue2.requests() - before).isEqualTo(40);
        Eventually.await(Duration.ofSeconds(5), "counted once each, as blue's", () -> {
            RouterStats stats = fixture.client.stats();
            return stats.of(Slot.A).requests() == 40 && stats.of(Slot.B).requests() == 0
                    && stats.of(Slot.B).serverErrors() == 0;
        });

        fixture.client.setWeights(Weights.allTo(Slot.B));
        assertThat(fixture.post("/webhook", RouterFixture.update(7)).statusCode()).as("blue has no traffic").isEqualTo(502);
        fixture.client.setBackends(Slot.B, List.of(fixture.green.uri()));
        fixture.client.setBackends(Slot.A, List.of(closedPort()));
        fixture.client.setWeights(Weights.allTo(Slot.A));
        assertThat(fixture.post("/webhook", RouterFixture.update(8)).statusCode()).as("green has none").isEqualTo(502);
        assertNothingInFlight();
    }

    /**
     * Each webhook sent to an instance is in flight to its colour until that exchange ends, however it ends (answered,
     * refused and sent on, reset, broken off): counted down once, before its answer leaves the router, so a stop that
     * waits for none in flight (platform.RouterDrain) never waits on one that ended.
     */
    private void assertNothingInFlight() {
        RouterStats stats = fixture.client.stats();
        assertThat(List.of(stats.of(Slot.A).inFlight(), stats.of(Slot.B).inFlight())).containsOnly(0L);
        assertThat(fixture.admin("/metrics").body()).contains("botshift_router_webhooks_in_flight{slot=\"a\"} 0")
                .contains("botshift_router_webhooks_in_flight{slot=\"b\"} 0");
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void aChangedConfigFileIsPickedUpWithoutRestart() throws Exception {
        long generation = generationOf();
        String json = Files.readString(fixture.configFile).replaceAll("\"a\" : 100", "\"a\" : 0")
                .replaceAll("\"b\" : 0", "\"b\" : 100");
        Path tmp = dir.resolve("edit.tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, fixture.configFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!(fixture.client.verify(Weights.allTo(Slot.B)) instanceof WeightCheck.Matches)) {
            assertThat(System.nanoTime()).as("config file not reloaded within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(generationOf()).isEqualTo(generation + 1);
        assertThat(fixture.colourOf(RouterFixture.update(1))).isEqualTo(Slot.B);
    }

    @Test
    void aBrokenConfigFileIsIgnoredAndTheLastGoodConfigKeepsRouting() throws Exception {
        fixture.client.setWeights(new Weights(70, 30));
        long generation = generationOf();
        int rejected = fixture.source.rejected();
        Files.writeString(fixture.configFile, "{\"weights\": {\"a\": 70, \"b\": 70}}");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (fixture.source.rejected() == rejected) {
            assertThat(System.nanoTime()).as("the broken file was not read within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(generationOf()).as("the broken file changed nothing").isEqualTo(generation);
        assertThat(fixture.client.verify(new Weights(70, 30))).isInstanceOf(WeightCheck.Matches.class);
        assertThat(fixture.post("/webhook", "ping").statusCode()).isEqualTo(200);
    }

    @Test
    void putValidatesAndNothingIsHalfApplied() {
        fixture.client.setWeights(new Weights(90, 10));
        var bad = RouterConfigJson.JSON.createObjectNode();
        bad.putObject("weights").put("a", 60).put("b", 60);
        bad.putObject("backends").putArray("b").add("http://127.0.0.1:1");

        assertThatThrownBy(() -> fixture.client.update(bad))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("weights");
        RouterConfig after = fixture.client.config();
        assertThat(after.weights()).isEqualTo(new Weights(90, 10));
        assertThat(after.backendsOf(Slot.B)).containsExactly(fixture.green.uri());
    }

    @Test
    void putIsPersistedSoARestartedRouterKeepsItsWeights() {
        fixture.client.setWeights(new Weights(75, 25));
        try (FileRouterConfigSource reopened = FileRouterConfigSource.open(fixture.configFile)) {
            assertThat(reopened.current().weights()).isEqualTo(new Weights(75, 25));
            assertThat(reopened.current().stickyBy()).isEqualTo(RouterFixture.STICKY);
        }
    }

    @Test
    void verifyAnswersMatchesDiffersOrUnknown() throws IOException {
        fixture.client.setWeights(new Weights(95, 5));
        assertThat(fixture.client.verify(new Weights(95, 5))).isInstanceOf(WeightCheck.Matches.class);
        assertThat(fixture.client.verify(new Weights(75, 25)))
                .isEqualTo(new WeightCheck.Differs(new Weights(95, 5)));
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        assertThat(new BotshiftRouterClient(closed, Duration.ofSeconds(1)).verify(new Weights(95, 5)))
                .isInstanceOf(WeightCheck.Unknown.class);
    }

    private long generationOf() throws IOException {
        HttpResponse<String> response = fixture.admin("/botshift/config");
        return RouterConfigJson.JSON.readTree(response.body()).path("generation").asLong();
    }
}
