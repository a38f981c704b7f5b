package dev.botshift.traffic.handover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.testing.LoopbackHttp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A bot that tells nothing of its state (stopped, hung) is given a read's short time, not a switch's: the data plane's
 * guard reads every instance each round under the handover's lock, and waited a switch's 60 s for one such bot.
 */
class ConsumerClientTest {
    @Test
    void aReadWaitsTheReadTimeoutAndASwitchItsOwn() throws Exception {
        HttpServer bot = LoopbackHttp.bind(4);
        bot.createContext(ConsumerClient.PATH, exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                // a GET is never answered in time; a stop answers once its long poll in flight is back (1 s here)
                Thread.sleep("GET".equals(exchange.getRequestMethod()) ? 3_000 : 1_000);
                byte[] bytes = "{\"consuming\":false,\"offset\":3}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        bot.start();
        try {
            URI uri = LoopbackHttp.uri(bot);
            ConsumerClient client = new ConsumerClient(Duration.ofSeconds(60), Duration.ofMillis(300));

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client.state(uri)).hasMessageContaining("cannot read the consumer at " + uri);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms the read waited").isLessThan(3_000);

            client.stop(uri); // 1 s: past the read timeout, within the switch's
        } finally {
            LoopbackHttp.stop(bot);
        }
    }

    @Test
    void theReadTimeoutIsAtMostFiveSecondsAndNeverMoreThanASwitchs() throws Exception {
        assertThat(new ConsumerClient(Duration.ofSeconds(60))).extracting("readTimeout")
                .isEqualTo(ConsumerClient.READ_TIMEOUT).isEqualTo(Duration.ofSeconds(5));
        assertThat(new ConsumerClient(Duration.ofSeconds(2))).extracting("readTimeout").isEqualTo(Duration.ofSeconds(2));
    }
}
