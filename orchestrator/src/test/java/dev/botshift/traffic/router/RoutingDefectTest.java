package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
        String body = "{\"update_id\":1,\"message\":{\"chat\":{\"id\":5},\"text\":\"hi\"}}";
        OutputStream out = socket.getOutputStream();
        out.write(("POST /hook HTTP/1.1\r\nHost: bots\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One answer with a Content-Length body, read to its end on a kept-alive connection. */
    private static String answer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after: " + head);
            }
            head.write(c);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
