package dev.botshift.traffic.polling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botshift.demo.FakeTelegramApi;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.os.ChildEnvironment;
import dev.botshift.testing.LoopbackHttp;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.RouterConfigJson;
import dev.botshift.traffic.router.RouterProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge end to end: the real router process polls the fake Bot API and delivers to two fake bots (blue and a
 * faulty, then fixed, green) while updates arrive at 50/s from 20 chats; green gets traffic, loses it again (the
 * rollback), then gets all of it (the promotion); then the router is killed with SIGKILL and started again. Every
 * update must be stored exactly once, each chat's updates in order, with no 409 anywhere.
 */
class PollingRouterIT {
    private static final String TOKEN = "4242:IT-bridge_token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHATS = 20;

    @TempDir
    Path state;

    private final FakeTelegramApi api = new FakeTelegramApi(TOKEN);
    private final Bot blue = new Bot("blue");
    private final Bot green = new Bot("green");
    /** Update ids stored, per chat, in the order the bots stored them (both colours together). */
    private final Map<Long, List<Long>> storedByChat = new ConcurrentHashMap<>();
    private final Map<Long, String> storedBy = new ConcurrentHashMap<>();
    private final AtomicInteger redelivered = new AtomicInteger();
    private RouterProcess router;

    /** A webhook bot: stores an update once by update_id (a repeat is acknowledged, counted, not stored). */
    private final class Bot {
        final HttpServer server;
        volatile double faultRate;

        Bot(String colour) {
            server = LoopbackHttp.bind(8);
            server.createContext("/webhook", exchange -> {
                try (exchange) {
                    JsonNode update = JSON.readTree(exchange.getRequestBody().readAllBytes());
                    int status = 200;
                    if (ThreadLocalRandom.current().nextDouble() < faultRate) {
                        status = 500;
                    } else {
                        long id = update.path("update_id").asLong();
                        long chat = update.path("message").path("chat").path("id").asLong();
                        synchronized (storedByChat) {
                            if (storedBy.putIfAbsent(id, colour) == null) {
                                storedByChat.computeIfAbsent(chat, c -> new CopyOnWriteArrayList<>()).add(id);
                            } else {
                                redelivered.incrementAndGet();
                            }
                        }
                    }
                    exchange.sendResponseHeaders(status, -1);
                }
            });
            server.start();
        }

        URI uri() {
            return LoopbackHttp.uri(server);
        }
    }

    @AfterEach
    void stop() {
        if (router != null) {
            router.stop();
        }
        LoopbackHttp.stop(blue.server);
        LoopbackHttp.stop(green.server);
        api.close();
    }

    private RouterProcess startRouter() {
        // with a delivery secret: the router's whole command line, as a plan with traffic.polling.secretEnv makes it
        RouterProcess.Polling polling = new RouterProcess.Polling("BOT_TOKEN", api.baseUrl().toString(), "/webhook",
                null, Duration.ofSeconds(2), 8, "BRIDGE_SECRET");
        ChildEnvironment env = ChildEnvironment.minimal(System.getenv()).with("BOT_TOKEN", TOKEN)
                .with("BRIDGE_SECRET", "it-delivery-secret_1");
        return RouterProcess.attachOrStart(state, new RouterProcess.Options(0, 0, state.resolve("config.json"),
                RouterProcess.Options.STANDALONE, Duration.ofSeconds(30), env, null, polling));
    }

    @Test
    void noUpdateLostOrDuplicatedAcrossARollbackAPromotionAndAKilledRouter() throws Exception {
        router = startRouter();
        BotshiftRouterClient client = router.client();
        client.update(RouterConfigJson.toJson(client.config().withStickyBy("$.message.chat.id")));
        client.setBackends(Slot.A, List.of(blue.uri()));
        client.setBackends(Slot.B, List.of(green.uri()));

        List<Long> sent = new CopyOnWriteArrayList<>();
        AtomicLong sequence = new AtomicLong();
        var producer = Executors.newSingleThreadScheduledExecutor();
        producer.scheduleAtFixedRate(() -> {
            long n = sequence.incrementAndGet();
            sent.add(api.message(1 + n % CHATS, "m" + n));
        }, 0, 20, java.util.concurrent.TimeUnit.MILLISECONDS); // 50 updates/s

        try {
            Thread.sleep(2_000);
            green.faultRate = 0.3; // the faulty release
            client.setWeights(new Weights(75, 25));
            await("green failed some updates", () -> client.stats().of(Slot.B).serverErrors() >= 5);
            client.setWeights(Weights.allTo(Slot.A)); // the rollback
            Thread.sleep(2_000);

            green.faultRate = 0; // the fixed release
            for (int toGreen : new int[] {25, 50, 100}) {
                client.setWeights(new Weights(100 - toGreen, toGreen));
                Thread.sleep(1_500);
            }
            assertThat(client.stats().of(Slot.B).requests()).isPositive();

            long pid = router.pid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // a crash, not a stop
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            Thread.sleep(500);
            router = startRouter();
            assertThat(router.pid()).isNotEqualTo(pid);
            Thread.sleep(2_000);
        } finally {
            producer.shutdown();
            producer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }

        await("every update stored", () -> storedBy.size() == sent.size());
        await("the API confirmed every update", () -> api.pending() == 0);

        assertThat(sent).hasSizeGreaterThan(300).doesNotHaveDuplicates();
        assertThat(storedBy.keySet()).containsExactlyInAnyOrderElementsOf(sent); // 0 lost, 0 stored twice
        for (Map.Entry<Long, List<Long>> chat : storedByChat.entrySet()) {
            List<Long> ordered = new ArrayList<>(chat.getValue());
            ordered.sort(Long::compare);
            assertThat(chat.getValue()).as("chat " + chat.getKey() + " in order").containsExactlyElementsOf(ordered);
        }
        assertThat(storedBy.values()).contains("blue", "green");
        assertThat(api.conflicts()).as("409s seen by anyone").isZero();
        // the bridge's retries went through the router: green's failures are in its counts, for the judge
        JsonNode polling = pollingStats();
        assertThat(polling.path("conflicts").asLong()).isZero();
        assertThat(polling.path("deadLettered").asLong()).isZero();
        assertThat(Files.exists(state.resolve(DeadLetters.FILE_NAME))).isFalse();
        // a SIGKILL may re-deliver what was acknowledged since the last offset write: at most one poll's worth
        assertThat(redelivered.get()).isLessThanOrEqualTo(PollingBridge.LIMIT);
        System.out.printf("bridge IT: sent %d, stored %d, redelivered after SIGKILL %d, conflicts %d%n", sent.size(),
                storedBy.size(), redelivered.get(), api.conflicts());

        for (Path file : Files.list(state).toList()) {
            if (Files.isRegularFile(file)) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(TOKEN);
            }
        }
    }

    private JsonNode pollingStats() throws IOException, InterruptedException {
        String token = Files.readString(state.resolve("admin-token")).strip();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(router.adminUri() + "/botshift/polling"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
