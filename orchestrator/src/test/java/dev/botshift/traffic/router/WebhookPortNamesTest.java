package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An in-cluster router names its bots by Service (`http://bot-green:8080`): the name is looked up when a connection
 * to the bot opens. A slow answer from the cluster's DNS must delay only the webhooks bound for that name, not every
 * webhook of the event loop that asked (the JDK's lookup, Netty's default, blocks the loop: the health check then
 * calls the router stuck and it is replaced, under a DNS hiccup, on every replica at once).
 */
class WebhookPortNamesTest {
    private static final Duration SLOW_ANSWER = Duration.ofMillis(1_500);

    @Test
    void aSlowNameLookupHoldsOnlyTheWebhooksForThatName() throws Exception {
        try (FakeBackend bot = new FakeBackend("bot");
             FakeNameServer dns = new FakeNameServer(Map.of("slow-bot", SLOW_ANSWER))) {
            // slot a by name (its lookup answered after 1.5 s), slot b by address; half the chats each
            RouterConfig config = RouterConfig.initial()
                    .withBackends(Slot.A, List.of(URI.create("http://slow-bot:" + bot.uri().getPort())))
                    .withBackends(Slot.B, List.of(bot.uri()))
                    .withStickyBy("$.message.chat.id")
                    .withWeights(new Weights(50, 50));
            WebhookPort port = started(config, dns);
            try (Socket byName = connect(port)) {
                long sent = System.nanoTime();
                send(byName, chatIn(Slot.A));
                long by = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (dns.asked("slow-bot") == 0 && System.nanoTime() < by) {
                    Thread.sleep(10);
                }
                assertThat(dns.asked("slow-bot")).as("the name was asked of the name server").isPositive();

                // while that lookup waits: webhooks on fresh connections (every event loop gets some) are answered
                for (int i = 0; i < 4; i++) {
                    try (Socket byAddress = connect(port)) {
                        long t0 = System.nanoTime();
                        send(byAddress, chatIn(Slot.B));
                        String answer = answer(byAddress);
                        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
                        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("bot");
                        assertThat(tookMillis).as("webhook %d, beside the lookup", i).isLessThan(1_000);
                    }
                }
                assertThat(port.stuck(Duration.ofMillis(300))).as("no event loop waits for the lookup").isEmpty();

                String answer = answer(byName);
                long tookMillis = (System.nanoTime() - sent) / 1_000_000;
                assertThat(answer).as("the bot found by its name").startsWith("HTTP/1.1 200").endsWith("bot");
                assertThat(tookMillis).as("held by the lookup").isGreaterThanOrEqualTo(SLOW_ANSWER.toMillis() - 100);
                assertThat(bot.requests()).isEqualTo(5);
            } finally {
                port.stop(Duration.ZERO);
            }
        }
    }

    @Test
    void aNameThatDoesNotExistIsA502() throws Exception {
        try (FakeNameServer dns = new FakeNameServer(Map.of())) {
            RouterConfig config = RouterConfig.initial()
                    .withBackends(Slot.A, List.of(URI.create("http://no-such-bot:8080")));
            WebhookPort port = started(config, dns);
            try (Socket client = connect(port)) {
                send(client, 7);
                assertThat(answer(client)).startsWith("HTTP/1.1 502");
                assertThat(dns.asked("no-such-bot")).isPositive();
            } finally {
                port.stop(Duration.ZERO);
            }
        }
    }

    @Test
    void addressesAreNotLookedUpAnIpv6OneInBracketsIncluded() throws Exception {
        com.sun.net.httpserver.HttpServer bot = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName("::1"), 0), 0);
        bot.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "v6 bot".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        bot.start();
        try (FakeNameServer dns = new FakeNameServer(Map.of())) {
            // the local policy's two loopback forms; URI.getHost() keeps an IPv6 address in its brackets
            RouterConfig config = RouterConfig.initial().withBackends(Slot.A,
                    List.of(URI.create("http://[::1]:" + bot.getAddress().getPort())));
            WebhookPort port = started(config, dns);
            try (Socket client = connect(port)) {
                send(client, 7);
                assertThat(answer(client)).startsWith("HTTP/1.1 200").endsWith("v6 bot");
                assertThat(dns.asked("[::1]")).as("an address is not a name").isZero();
            } finally {
                port.stop(Duration.ZERO);
            }
        } finally {
            bot.stop(0);
        }
    }

    /** A webhook port on loopback, routing by {@code config} as an in-cluster router, asking {@code dns} for names. */
    private static WebhookPort started(RouterConfig config, FakeNameServer dns) throws java.net.BindException {
        LiveConfig live = new LiveConfig(new RouterServer.Fixed(config), BackendPolicy.CLUSTER_SERVICE);
        WebhookPort port = new WebhookPort(live::config, new RouterMetrics(), new WebhookVerifier.None(),
                new GuardWatch(live, Clock.systemUTC(), Runnable::run, trip -> { }), 0);
        port.host("127.0.0.1");
        port.nameServer(dns.address());
        port.start();
        return port;
    }

    /** A chat id whose bucket the 50/50 split gives to {@code slot}. */
    private static long chatIn(Slot slot) {
        for (long chat = 1; ; chat++) {
            if (BucketSplit.pick(50, java.util.Optional.of(Long.toString(chat)), () -> 0) == slot) {
                return chat;
            }
        }
    }

    private static Socket connect(WebhookPort port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port.localPort());
        socket.setSoTimeout(10_000); // an unanswered webhook fails the test instead of hanging it
        return socket;
    }

    private static void send(Socket socket, long chat) throws IOException {
        String body = "{\"update_id\":1,\"message\":{\"chat\":{\"id\":" + chat + "},\"text\":\"hi\"}}";
        OutputStream out = socket.getOutputStream();
        out.write(("POST /hook HTTP/1.1\r\nHost: bots\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The whole answer: the router closes the connection after it (the request said {@code Connection: close}). */
    private static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
