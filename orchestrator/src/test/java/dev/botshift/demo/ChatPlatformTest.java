package dev.botshift.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.botshift.os.JdkHttpServer;
import dev.botshift.testing.Slow;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Slow
class ChatPlatformTest {

    private final FakeWebhook webhook = new FakeWebhook();

    @AfterEach
    void stopWebhook() {
        webhook.stop();
    }

    @Test
    void deliversEveryUpdateOnceInChatOrderAtTheRateAndCountsColourSwitches() throws Exception {
        ChatPlatform platform = ChatPlatform.builder(webhook.uri())
                .chats(60).rate(150).redeliveryBackoff(Duration.ofMillis(50)).firstUpdateId(1).build();

        platform.start();
        Thread.sleep(1200);
        platform.mark("moved");
        webhook.mode = Mode.EVEN_CHATS_GREEN;
        Thread.sleep(1200);
        platform.mark("flapping");
        webhook.mode = Mode.ALTERNATING;
        Thread.sleep(1200);
        ChatStats stats = platform.stop(Duration.ofSeconds(5));

        assertThat(stats.unacknowledged()).isZero();
        assertThat(stats.acknowledgedIds()).isEqualTo(stats.sentIds());
        assertThat(webhook.okAnswers).containsOnlyKeys(stats.sentIds()).allSatisfy((id, answers) ->
                assertThat(answers.get()).as("2xx answers to update %d", id).isEqualTo(1));
        assertThat(webhook.orderViolations).isEmpty();
        assertThat(stats.achievedRate()).isBetween(150 * 0.8, 150 * 1.2);

        long everySeventh = stats.sentIds().stream().filter(id -> id % 7 == 0).count();
        assertThat(everySeventh).isPositive();
        assertThat(stats.failedDeliveries()).isEqualTo(everySeventh);
        assertThat(stats.failedByCause()).as("why they failed").isEqualTo(java.util.Map.of("HTTP 500", everySeventh));
        assertThat(stats.redeliveries()).isEqualTo(everySeventh);

        assertThat(stats.maxSlotSwitches()).containsOnlyKeys("start", "moved", "flapping");
        assertThat(stats.maxSlotSwitches()).containsEntry("start", 0).containsEntry("moved", 1);
        // Every switch answered in the flapping mode is seen after the mark; at most one answer sent in the
        // previous mode can still be on its way back when the mark is set.
        int expected = webhook.maxSwitchesAnsweredIn(Mode.ALTERNATING);
        assertThat(expected).isGreaterThanOrEqualTo(2);
        assertThat(stats.maxSlotSwitches().get("flapping")).isBetween(expected, expected + 1);
        assertThat(stats.acknowledgedBySlot()).containsOnlyKeys("blue", "green");
    }

    @Test
    void stopsAtTheDrainTimeoutWhenTheWebhookNeverAcknowledges() throws Exception {
        webhook.mode = Mode.DOWN;
        ChatPlatform platform = ChatPlatform.builder(webhook.uri())
                .chats(50).rate(100).redeliveryBackoff(Duration.ofMillis(20)).build();

        platform.start();
        awaitRedeliveries(platform, 100);
        long started = System.nanoTime();
        ChatStats stats = platform.stop(Duration.ofMillis(300));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(stats.acknowledged()).isZero();
        assertThat(stats.sent()).isPositive().isLessThanOrEqualTo(50);
        assertThat(stats.redeliveries()).isGreaterThanOrEqualTo(100);
        Thread.sleep(100);
        assertThat(platform.stats().redeliveries()).as("no redelivery after stop").isEqualTo(stats.redeliveries());
    }

    @Test
    void countsDeliveriesNobodyAnsweredByCause() throws Exception {
        java.net.URI gone = webhook.uri();
        webhook.stop(); // its port now refuses connections
        ChatPlatform platform = ChatPlatform.builder(gone)
                .chats(5).rate(50).redeliveryBackoff(Duration.ofMillis(20)).build();
        platform.start();
        awaitRedeliveries(platform, 10);
        ChatStats stats = platform.stop(Duration.ofMillis(100));
        assertThat(stats.failedByCause()).containsOnlyKeys("connection refused");
        assertThat(stats.failedByCause().get("connection refused")).isEqualTo(stats.failedDeliveries());
    }

    private static void awaitRedeliveries(ChatPlatform platform, long wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (platform.stats().redeliveries() < wanted && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
    }

    @Test
    void theLedgerFindsLostAndDuplicatedUpdates() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // No unique constraint here, so that a duplicate can exist for the ledger to find.
            statement.execute("CREATE TABLE user_interactions (update_id BIGINT NOT NULL)");
            statement.execute("INSERT INTO user_interactions VALUES (1), (2), (2), (4), (99)");

            ChatLedger ledger = ChatLedger.of(List.of(1L, 2L, 3L, 4L), connection);

            assertThat(ledger.sent()).isEqualTo(4);
            assertThat(ledger.stored()).isEqualTo(3);
            assertThat(ledger.lost()).containsExactly(3L);
            assertThat(ledger.duplicated()).containsExactly(2L);
            assertThat(ledger.intact()).isFalse();
        }
    }

    enum Mode { BLUE_IN_BODY, EVEN_CHATS_GREEN, ALTERNATING, DOWN }

    /** A webhook that fails the first delivery of every 7th update and answers colours by mode. */
    static final class FakeWebhook {
        private static final ObjectMapper JSON = new ObjectMapper();

        volatile Mode mode = Mode.BLUE_IN_BODY;
        final Map<Long, AtomicInteger> okAnswers = new ConcurrentHashMap<>();
        final List<String> orderViolations = new ArrayList<>();
        private final Set<Long> seen = ConcurrentHashMap.newKeySet();
        private final Map<Long, ChatLog> chats = new ConcurrentHashMap<>();
        private final ExecutorService executor = Executors.newFixedThreadPool(8);
        private final HttpServer server;

        FakeWebhook() {
            try {
                server = JdkHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/webhook", this::handle);
            server.setExecutor(executor);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook");
        }

        void stop() {
            server.stop(0);
            executor.shutdownNow();
        }

        int maxSwitchesAnsweredIn(Mode wanted) {
            return chats.values().stream().mapToInt(log -> log.switchesAnsweredIn(wanted)).max().orElse(0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                Mode now = mode;
                JsonNode update = JSON.readTree(exchange.getRequestBody());
                long updateId = update.get("update_id").asLong();
                long chatId = update.at("/message/chat/id").asLong();
                int messageId = update.at("/message/message_id").asInt();
                ChatLog chat = chats.computeIfAbsent(chatId, id -> new ChatLog());
                boolean first = seen.add(updateId);
                if (first) {
                    chat.checkOrder(chatId, updateId, messageId, orderViolations);
                }
                if (now == Mode.DOWN || (first && updateId % 7 == 0)) {
                    send(exchange, 500, "{\"ok\":false}");
                    return;
                }
                String slot = switch (now) {
                    case BLUE_IN_BODY -> "blue";
                    case EVEN_CHATS_GREEN -> chatId % 2 == 0 ? "green" : "blue";
                    default -> messageId % 2 == 0 ? "green" : "blue";
                };
                if (now != Mode.BLUE_IN_BODY) {
                    exchange.getResponseHeaders().set(ChatPlatform.SLOT_HEADER, slot);
                }
                chat.answered(updateId, slot, now);
                okAnswers.computeIfAbsent(updateId, id -> new AtomicInteger()).incrementAndGet();
                send(exchange, 200, "{\"ok\":true,\"colour\":\"" + slot + "\"}");
            }
        }

        private static void send(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** What the fake webhook answered one chat, in order. */
    static final class ChatLog {
        private long lastUpdateId = -1;
        private long lastAcknowledged = -1;
        private int lastMessageId;
        private String lastColour;
        private final Map<Mode, Integer> switches = new ConcurrentHashMap<>();

        synchronized void checkOrder(long chatId, long updateId, int messageId, List<String> violations) {
            if (lastUpdateId != lastAcknowledged || updateId < lastUpdateId || messageId != lastMessageId + 1) {
                synchronized (violations) {
                    violations.add("chat " + chatId + " sent update " + updateId + " (message " + messageId
                            + ") while " + lastUpdateId + " was the latest and " + lastAcknowledged + " acknowledged");
                }
            }
            lastUpdateId = updateId;
            lastMessageId = messageId;
        }

        synchronized void answered(long updateId, String slot, Mode mode) {
            if (lastColour != null && !lastColour.equals(slot)) {
                switches.merge(mode, 1, Integer::sum);
            }
            lastColour = slot;
            lastAcknowledged = updateId;
        }

        synchronized int switchesAnsweredIn(Mode mode) {
            return switches.getOrDefault(mode, 0);
        }
    }
}
