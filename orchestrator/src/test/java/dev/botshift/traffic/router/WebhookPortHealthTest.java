package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A webhook port whose event loop runs nothing (blocked: here in the config lookup every webhook makes) answers
 * nothing on that loop's connections while the process and its admin port live: the health check must say so, or a
 * supervisor's guard would keep a router that serves nothing.
 */
class WebhookPortHealthTest {
    private static final Duration LOOK = Duration.ofMillis(500);

    @Test
    void aBlockedEventLoopIsStuckUntilItRunsAgain() throws Exception {
        RouterConfig config = RouterConfig.initial().withBackends(Slot.A, List.of(URI.create("http://127.0.0.1:1")));
        LiveConfig live = new LiveConfig(new RouterServer.Fixed(config), BackendPolicy.LOOPBACK);
        AtomicBoolean block = new AtomicBoolean();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebhookPort port = new WebhookPort(() -> {
            if (block.get()) {
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return live.config();
        }, new RouterMetrics(), new WebhookVerifier.None(),
                new GuardWatch(live, Clock.systemUTC(), Runnable::run, trip -> { }), 0);
        port.host("127.0.0.1");
        port.start();
        try (Socket client = new Socket("127.0.0.1", port.localPort())) {
            assertThat(port.stuck(LOOK)).isEmpty();

            block.set(true);
            String body = "{\"message\":{\"chat\":{\"id\":1}}}";
            OutputStream out = client.getOutputStream();
            out.write(("POST /hook HTTP/1.1\r\nHost: bots\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("the webhook reached the config lookup").isTrue();

            long t0 = System.nanoTime();
            Optional<String> stuck = port.stuck(LOOK);
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(stuck).hasValueSatisfying(why -> assertThat(why)
                    .contains("of the webhook port ran nothing for 500 ms"));
            assertThat(tookMillis).as("one look's wait, not more").isLessThan(2_000);

            block.set(false);
            release.countDown();
            long by = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (port.stuck(LOOK).isPresent() && System.nanoTime() < by) {
                Thread.sleep(50);
            }
            assertThat(port.stuck(LOOK)).as("running again").isEmpty();
        } finally {
            release.countDown();
            port.stop(Duration.ZERO);
        }
    }
}
