package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bot's HTTP server closes a kept-alive connection once it has been idle for its keep-alive timeout (gunicorn 2 s,
 * Node's 5 s): a webhook the router writes to it at that moment reaches no handler and would be a 502 counted against
 * the bot's colour. The router reuses a connection only while it is fresh ({@link BotConnections#REUSE_WITHIN}).
 */
class BotConnectionReuseTest {
    /** The bot's keep-alive timeout: above the router's reuse window, below Node's default. */
    private static final Duration BOT_KEEP_ALIVE = Duration.ofMillis(1_500);

    private KeepAliveBot bot;
    private WebhookPort port;

    @BeforeEach
    void start() throws IOException {
        bot = new KeepAliveBot();
        RouterConfig config = RouterConfig.initial().withBackends(Slot.A, List.of(bot.uri()));
        LiveConfig live = new LiveConfig(new RouterServer.Fixed(config), BackendPolicy.LOOPBACK);
        port = new WebhookPort(live::config, new RouterMetrics(), new WebhookVerifier.None(),
                new GuardWatch(live, Clock.systemUTC(), Runnable::run, trip -> { }), 0);
        port.host("127.0.0.1");
        port.start();
    }

    @AfterEach
    void stop() throws IOException {
        port.stop(Duration.ZERO);
        bot.close();
    }

    @Test
    void aWebhookAfterTheBotsKeepAliveTimeoutIsAnsweredNotA502() throws Exception {
        try (Socket client = connect()) {
            assertThat(webhook(client)).startsWith("HTTP/1.1 200");
            Thread.sleep(BOT_KEEP_ALIVE.toMillis() + 300);
            assertThat(webhook(client)).as("a connection idle for %s, as the bot closes it", BOT_KEEP_ALIVE)
                    .startsWith("HTTP/1.1 200");
        }
        assertThat(bot.unanswered.get()).as("webhooks written to a connection the bot had timed out").isZero();
    }

    @Test
    void aBusyBotKeepsItsConnection() throws Exception {
        try (Socket client = connect()) {
            for (int i = 0; i < 6; i++) {
                assertThat(webhook(client)).startsWith("HTTP/1.1 200");
                Thread.sleep(BotConnections.REUSE_WITHIN.toMillis() / 4);
            }
        }
        assertThat(bot.connections.get()).as("webhooks %s apart", BotConnections.REUSE_WITHIN.dividedBy(4)).isOne();
    }

    @Test
    void aConnectionNoLongerReusedIsClosedByTheRouter() throws Exception {
        try (Socket client = connect()) {
            assertThat(webhook(client)).startsWith("HTTP/1.1 200");
        }
        long deadline = System.nanoTime() + BotConnections.REUSE_WITHIN.multipliedBy(3).toNanos();
        while (bot.closedByRouter.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(bot.closedByRouter).as("closed by the router, idle for").singleElement()
                .satisfies(idle -> assertThat(idle).isLessThan(BOT_KEEP_ALIVE));
    }

    /**
     * A bot whose server closes a kept connection just as the router writes the next webhook on it (its keep-alive
     * timer firing then): the webhook is unread, the connection reset, and the webhook goes once on a new connection to
     * the same bot, the colour's only instance, rather than being a 502.
     */
    @Test
    void aWebhookOnAKeptConnectionTheBotClosedUnreadGoesOnANewOne() throws Exception {
        try (ClosingKeptBot quick = new ClosingKeptBot()) {
            port.stop(Duration.ZERO);
            RouterConfig config = RouterConfig.initial().withBackends(Slot.A, List.of(quick.uri()));
            LiveConfig live = new LiveConfig(new RouterServer.Fixed(config), BackendPolicy.LOOPBACK);
            port = new WebhookPort(live::config, new RouterMetrics(), new WebhookVerifier.None(),
                    new GuardWatch(live, Clock.systemUTC(), Runnable::run, trip -> { }), 0);
            port.host("127.0.0.1");
            port.start();
            try (Socket client = connect()) {
                for (int i = 0; i < 3; i++) {
                    assertThat(webhook(client)).as("webhook %s", i).startsWith("HTTP/1.1 200");
                    Thread.sleep(BotConnections.REUSE_WITHIN.toMillis() / 10); // well within reuse
                }
            }
            assertThat(quick.reset.get()).as("kept connections the bot reset with a webhook unread").isEqualTo(2);
            assertThat(quick.connections.get()).as("a new connection for each webhook").isEqualTo(3);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port.localPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** One webhook on the client's kept-alive connection; its answer's status line and body. */
    private static String webhook(Socket socket) throws IOException {
        RawHttp.postUpdate(socket);
        RawHttp.Message answer = RawHttp.Message.read(socket.getInputStream());
        return answer == null ? "(closed, no answer)" : answer.head().lines().findFirst().orElse("") + " " + answer.body();
    }

    /** A bot on a raw socket: each connection counted and served by {@link #serve} on a thread of its own. */
    private abstract static class RawBot implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();

        RawBot() throws IOException {
        }

        /** Called last by a subclass's constructor, once its own fields are set. */
        void start(String name) {
            Thread accepting = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        Thread serving = new Thread(() -> serve(s), name + "-connection");
                        serving.setDaemon(true);
                        serving.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, name);
            accepting.setDaemon(true);
            accepting.start();
        }

        abstract void serve(Socket s);

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** A bot that answers one webhook per connection and resets the connection, unread, when a second one comes. */
    private static final class ClosingKeptBot extends RawBot {
        final AtomicInteger reset = new AtomicInteger();

        ClosingKeptBot() throws IOException {
            start("closing-kept-bot");
        }

        @Override
        void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                if (RawHttp.Message.read(in) == null) {
                    return;
                }
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nbot"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.setSoTimeout(5_000);
                in.mark(1);
                if (in.read() < 0) {
                    return; // the router closed it
                }
                reset.incrementAndGet();
                s.setSoLinger(true, 0); // the next webhook is here, unread: closing now resets the connection
            } catch (IOException e) {
                // the test's end
            }
        }
    }

    /**
     * A bot whose server keeps connections alive for {@link #BOT_KEEP_ALIVE}: a request read on a connection idle
     * longer than that is what its server would have met just as it closed the connection, so it closes it unanswered
     * (counted); a connection the router closes is noted with how long it had been idle.
     */
    private static final class KeepAliveBot extends RawBot {
        final AtomicInteger unanswered = new AtomicInteger();
        final List<Duration> closedByRouter = new CopyOnWriteArrayList<>();

        KeepAliveBot() throws IOException {
            start("keep-alive-bot");
        }

        @Override
        void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                long lastAnswer = System.nanoTime();
                while (true) {
                    RawHttp.Message request = RawHttp.Message.read(in);
                    long idle = System.nanoTime() - lastAnswer;
                    if (request == null) {
                        closedByRouter.add(Duration.ofNanos(idle));
                        return;
                    }
                    if (idle > BOT_KEEP_ALIVE.toNanos()) {
                        unanswered.incrementAndGet();
                        return;
                    }
                    byte[] answer = "bot".getBytes(StandardCharsets.UTF_8);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().write(answer);
                    s.getOutputStream().flush();
                    lastAnswer = System.nanoTime();
                }
            } catch (SocketException e) {
                // the test's end
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
