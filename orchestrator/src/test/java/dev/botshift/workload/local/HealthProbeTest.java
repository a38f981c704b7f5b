package dev.botshift.workload.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.testing.LoopbackHttp;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the health check says of an instance that is not ready, in words that point at the two usual mistakes. */
class HealthProbeTest {
    private HttpServer bot;

    @AfterEach
    void stop() {
        if (bot != null) {
            LoopbackHttp.stop(bot);
        }
    }

    private URI botAnswering(int status) {
        bot = LoopbackHttp.bind(1);
        bot.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        bot.start();
        return LoopbackHttp.uri(bot);
    }

    @Test
    void aMissingHealthRouteNamesTheField() {
        HealthProbe.Health health = new HealthProbe("/healthz").check(List.of(botAnswering(404)));

        assertThat(health.healthy()).isZero();
        assertThat(health.problem()).startsWith("GET /healthz on port " + bot.getAddress().getPort() + " answered 404")
                .endsWith("(is workload.healthPath the bot's health route?)");
    }

    @Test
    void aBotNotReadyYetIsNotToldItsRouteIsWrong() {
        HealthProbe.Health health = new HealthProbe("/healthz").check(List.of(botAnswering(503)));

        assertThat(health.problem()).matches("GET /healthz on port \\d+ answered 503");
    }

    @Test
    void nothingListeningOnTheGivenPortPointsAtPort() throws Exception {
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        HealthProbe.Health health = new HealthProbe("/healthz").check(List.of(URI.create("http://127.0.0.1:" + free)));

        assertThat(health.problem()).isEqualTo("GET /healthz on port " + free
                + " failed: nothing listens there yet (each instance must listen on the port in $PORT)");
        assertThat(new HealthProbe("/healthz").check(List.of(botAnswering(204))).healthy()).isEqualTo(1);
    }
}
