package dev.botshift.traffic.handover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.PolledChats;
import dev.botshift.testing.LoopbackHttp;
import dev.botshift.testing.Slow;
import dev.botshift.traffic.WeightCheck;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The handover adapter switching real sample bots (polling the fake Bot API, storing in real PostgreSQL) while
 * chats send 50 messages/s: forth, back (a rollback) and forth again, with no 409, nothing lost, nothing stored twice.
 */
@Slow
class ConsumerHandoverTest {
    @RegisterExtension
    static final PollingBots bots = new PollingBots();
    private final Map<Slot, List<URI>> endpoints = new EnumMap<>(Map.of(Slot.A, List.of(), Slot.B, List.of()));
    private final List<String> log = new ArrayList<>();
    private final ConsumerHandover handover = new ConsumerHandover(endpoints::get, Duration.ofSeconds(20), null, log::add);

    @Test
    void theConsumerMovesForthBackAndForthWithoutAConflictALossOrADuplicate() throws Exception {
        endpoints.put(Slot.A, List.of(bots.start("a", "1.0.0", true, 0)));
        endpoints.put(Slot.B, List.of(bots.start("b", "1.0.1", false, 0.4))); // a faulty green, retrying its updates
        PolledChats chats = new PolledChats(bots.api, 20);
        chats.start(50);
        Thread.sleep(500);
        assertThat(handover.verify(Weights.allTo(Slot.A))).isInstanceOf(WeightCheck.Matches.class);

        handover.setWeights(Weights.allTo(Slot.B));
        assertThat(handover.verify(Weights.allTo(Slot.B))).isInstanceOf(WeightCheck.Matches.class);
        assertThat(handover.verify(Weights.allTo(Slot.A))).isEqualTo(new WeightCheck.Differs(Weights.allTo(Slot.B)));
        Thread.sleep(1_000);
        handover.setWeights(Weights.allTo(Slot.A)); // the rollback: green stops, confirmed, then blue starts
        assertThat(handover.verify(Weights.allTo(Slot.A))).isInstanceOf(WeightCheck.Matches.class);
        Thread.sleep(500);
        handover.setWeights(Weights.allTo(Slot.B));
        handover.setWeights(Weights.allTo(Slot.B)); // idempotent
        Thread.sleep(500);
        List<Long> sent = chats.stop(Duration.ofSeconds(20));

        ChatLedger ledger = bots.ledger(sent);
        assertThat(sent).hasSizeGreaterThan(100);
        assertThat(ledger.lost()).as("lost").isEmpty();
        assertThat(ledger.duplicated()).as("stored twice").isEmpty();
        assertThat(bots.api.conflicts()).as("409s").isZero();
        // 0.16-0.8 s on this machine, most of it the faulty green retrying a batch between two polls (each switch
        // itself takes 2-40 ms); a switch that stalled would show as seconds
        assertThat(bots.api.maxGapSeconds()).as("longest time no getUpdates was in flight").isLessThan(3.0);
        assertThat(log).hasSize(4).allMatch(line -> line.startsWith("consumer handed over: "));
        System.out.printf("handover maxGapSeconds %.3f; %s%n", bots.api.maxGapSeconds(), log);
    }

    @Test
    void aNewColourIsNeverStartedWhileTheOldOneDoesNotConfirmItsStop() {
        AtomicInteger starts = new AtomicInteger();
        HttpServer stuck = stub(504, "{\"consuming\":true,\"offset\":3}", null);
        HttpServer green = stub(200, "{\"consuming\":true,\"offset\":3}", starts);
        try {
            endpoints.put(Slot.A, List.of(LoopbackHttp.uri(stuck)));
            endpoints.put(Slot.B, List.of(LoopbackHttp.uri(green)));

            assertThatThrownBy(() -> handover.setWeights(Weights.allTo(Slot.B)))
                    .hasMessageContaining("stop not confirmed (HTTP 504)");
            assertThat(starts).as("POSTs to green").hasValue(0);
        } finally {
            LoopbackHttp.stop(stuck);
            LoopbackHttp.stop(green);
        }
    }

    @Test
    void aBotWithoutTheContractAndASplitAreRefused() {
        HttpServer webhookOnly = LoopbackHttp.bind(1);
        webhookOnly.start();
        try {
            endpoints.put(Slot.A, List.of(LoopbackHttp.uri(webhookOnly)));
            endpoints.put(Slot.B, List.of(LoopbackHttp.uri(webhookOnly)));

            assertThatThrownBy(() -> handover.setWeights(Weights.allTo(Slot.B)))
                    .hasMessageContaining("is missing (404): the bot does not honour the handover contract");
            assertThatThrownBy(() -> handover.setWeights(new Weights(50, 50)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot split updates 50% / 50%")
                    .hasMessageNotContaining("a 50"); // shares, never the storage slots' names
        } finally {
            LoopbackHttp.stop(webhookOnly);
        }
    }

    @Test
    void aStoppedBotCountsAsNotConsumingAndNoInstanceToStartIsAnError() {
        endpoints.put(Slot.A, List.of(URI.create("http://127.0.0.1:1"))); // nothing listens: it polls nothing either
        endpoints.put(Slot.B, List.of());

        assertThatThrownBy(() -> handover.setWeights(Weights.allTo(Slot.B)))
                .hasMessageContaining("no running instance to hand the updates to");
    }

    /**
     * The guard's round ({@link ConsumerHandover#keep}): the consuming instance was replaced by one standing by, so it
     * is told to consume; nothing is done when it consumes, before any split was stored, or while no instance runs.
     */
    @Test
    void keepHandsTheUpdatesToAReplacementStandingByAndOtherwiseDoesNothing() {
        AtomicBoolean consuming = new AtomicBoolean(false);
        AtomicInteger posts = new AtomicInteger();
        HttpServer replacement = honouring(consuming, posts);
        try {
            endpoints.put(Slot.B, List.of(LoopbackHttp.uri(replacement)));
            assertThat(handover.keep()).as("no split stored: nothing held").isEmpty();

            ConsumerHandover held = new ConsumerHandover(endpoints::get, Duration.ofSeconds(5), Weights.allTo(Slot.B),
                    log::add);
            assertThat(held.keep()).contains(Slot.B);
            assertThat(consuming).isTrue();
            assertThat(posts).hasValue(1);
            assertThat(held.keep()).as("it consumes now").isEmpty();
            assertThat(posts).hasValue(1);

            endpoints.put(Slot.B, List.of());
            consuming.set(false);
            assertThat(held.keep()).as("the consumer dead, its replacement not started yet").isEmpty();

            endpoints.put(Slot.B, List.of(LoopbackHttp.uri(replacement)));
            assertThatThrownBy(() -> held.setWeights(Weights.allTo(Slot.A))).as("no instance of A runs")
                    .hasMessageContaining("no running instance to hand the updates to");
            assertThat(held.keep()).as("the switch asked for last is held, though it failed: B is not started")
                    .isEmpty();
            assertThat(consuming).isFalse();
        } finally {
            LoopbackHttp.stop(replacement);
        }
    }

    /** A bot honouring the contract: {@code GET} says whether it consumes, {@code POST} switches it. */
    private static HttpServer honouring(AtomicBoolean consuming, AtomicInteger posts) {
        HttpServer server = LoopbackHttp.bind(2);
        server.createContext(ConsumerClient.PATH, exchange -> {
            try (exchange) {
                if ("POST".equals(exchange.getRequestMethod())) {
                    posts.incrementAndGet();
                    consuming.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                            .contains("true"));
                }
                byte[] bytes = ("{\"consuming\":" + consuming.get() + ",\"offset\":7}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return server;
    }

    /** A bot that answers every {@code /botshift/consumer} request with {@code status} and {@code body}. */
    private static HttpServer stub(int status, String body, AtomicInteger posts) {
        HttpServer server = LoopbackHttp.bind(2);
        server.createContext(ConsumerClient.PATH, exchange -> {
            try (exchange) {
                if ("POST".equals(exchange.getRequestMethod()) && posts != null) {
                    posts.incrementAndGet();
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return server;
    }
}
