package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A defect of the router's while it routes a webhook (here: its config lookup throws) is answered 500 and that
 * connection closed, and the router serves on: never a client left waiting for an answer, nor a request counted in
 * flight forever (a graceful stop would then wait out its whole grace).
 */
class RoutingDefectTest {
    @Test
    void aDefectWhileRoutingIsA500AndTheRouterServesOn() throws Exception {
        try (FakeBackend bot = new FakeBackend("bot")) {
            RouterConfig config = RouterConfig.initial().withBackends(Slot.A, List.of(bot.uri()));
            LiveConfig live = new LiveConfig(new RouterServer.Fixed(config), BackendPolicy.LOOPBACK);
            AtomicBoolean broken = new AtomicBoolean(true);
            WebhookPort port = new WebhookPort(() -> {
                if (broken.getAndSet(false)) {
                    throw new IllegalStateException("a defect");
                }
                return live.config();
            }, new RouterMetrics(), new WebhookVerifier.None(),
                    new GuardWatch(live, Clock.systemUTC(), Runnable::run, trip -> { }), 0);
            port.host("127.0.0.1");
            port.start();
            try {
                try (Socket client = new Socket("127.0.0.1", port.localPort())) {
                    client.setSoTimeout(10_000);
                    send(client);
                    String first = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(first).as("answered, then closed: after a defect nothing more is read from it")
                            .startsWith("HTTP/1.1 500").contains("connection: close")
                            .endsWith("{\"error\":\"the router failed on this request\"}");
                    assertThat(bot.requests()).isZero();
                }
                try (Socket next = new Socket("127.0.0.1", port.localPort())) {
                    next.setSoTimeout(10_000);
                    send(next);
                    assertThat(answer(next.getInputStream())).as("the next webhook").startsWith("HTTP/1.1 200")
                            .endsWith("bot");
                }
                long t0 = System.nanoTime();
                port.stop(Duration.ofSeconds(5));
                long tookMillis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(tookMillis).as("nothing left counted in flight").isLessThan(2_000);
            } finally {
                port.stop(Duration.ZERO);
            }
        }
    }

    private static void send(Socket socket) throws IOException {
        RawHttp.postUpdate(socket);
    }

    /** One answer, read to its end on a kept-alive connection: its head and body. */
    private static String answer(InputStream in) throws IOException {
        RawHttp.Message m = RawHttp.Message.read(in);
        if (m == null) {
            throw new IOException("closed before an answer");
        }
        return m.head() + m.body();
    }
}
