package dev.botshift.analysis.combined;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.analysis.router.RouterMetricsProvider;
import dev.botshift.analysis.scrape.BotMetricsProvider;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.os.JdkHttpServer;
import dev.botshift.traffic.router.AdminToken;
import dev.botshift.traffic.router.FileRouterConfigSource;
import dev.botshift.traffic.router.RouterConfig;
import dev.botshift.traffic.router.RouterServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real tiny bot that serves its webhook but no bot counters, behind the real router: the {@code combined}
 * provider judges it by the router's counts and warns once, naming the URL, instead of answering "no data" forever
 * (which pauses the rollout); the probe used by {@code botshift plan} and the preflight names the URL too.
 */
class BotWithoutMetricsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "/metrics {0}")
    @ValueSource(strings = {"missing", "without-bot-counters"})
    void theRouterAloneJudgesAndOneWarningNamesTheUrl(String metrics) throws Exception {
        HttpServer bot = tinyBot(metrics.equals("missing") ? null : "# TYPE process_cpu_seconds_total counter\n"
                + "process_cpu_seconds_total 1.5\n");
        try {
            URI botUri = URI.create("http://127.0.0.1:" + bot.getAddress().getPort());
            FileRouterConfigSource source = FileRouterConfigSource.open(dir.resolve("router.json"));
            Map<Slot, List<URI>> backends = Map.of(Slot.A, List.of(), Slot.B, List.of(botUri));
            source.store(new RouterConfig(Weights.allTo(Slot.B), backends, null));
            try (RouterServer router = new RouterServer(source, 0, 0,
                    RouterServer.Guards.local(AdminToken.generate())).start()) {
                post(router, 7);
                List<String> warnings = new CopyOnWriteArrayList<>();
                BotMetricsProvider scraper = new BotMetricsProvider(backends::get, Duration.ofSeconds(2));
                CombinedMetricsProvider combined = new CombinedMetricsProvider(
                        new RouterMetricsProvider(router.client()), scraper, warnings::add);
                MetricsTarget green = new MetricsTarget(Slot.B, "2.0.0");

                assertThat(combined.observe(green)).usingRecursiveComparison().ignoringFields("counts.latency")
                        .isEqualTo(new Observation.Measured(new Counts(7, 0)));
                post(router, 3);
                assertThat(combined.observe(green)).usingRecursiveComparison().ignoringFields("counts.latency")
                        .isEqualTo(new Observation.Measured(new Counts(10, 0)));

                assertThat(warnings).singleElement().asString().contains("2.0.0", botUri + "/metrics",
                        "router's signals only");
                // the bot-metrics provider has nothing else to judge by: no data, never a pass
                assertThat(scraper.observe(green)).isInstanceOf(Observation.NoData.class);
                assertThat(scraper.probe(botUri)).hasValueSatisfying(why -> assertThat(why)
                        .contains(botUri + "/metrics").contains(metrics.equals("missing") ? "404" : "bot_requests_total"));
            }
        } finally {
            bot.stop(0);
        }
    }

    @Test
    void aBotThatServesItsCountersIsNotWarnedAbout() throws Exception {
        HttpServer bot = tinyBot("# TYPE bot_requests_total counter\nbot_requests_total{outcome=\"ok\"} 0\n");
        try {
            URI botUri = URI.create("http://127.0.0.1:" + bot.getAddress().getPort());
            assertThat(new BotMetricsProvider(s -> List.of(), Duration.ofSeconds(2)).probe(botUri)).isEmpty();
        } finally {
            bot.stop(0);
        }
    }

    /** Answers every POST with 200; {@code /metrics} with {@code metrics}, or 404 when null. */
    private static HttpServer tinyBot(String metrics) throws IOException {
        HttpServer server = JdkHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            boolean isMetrics = exchange.getRequestURI().getPath().equals("/metrics");
            byte[] body = (isMetrics ? (metrics == null ? "not found" : metrics) : "{\"ok\":true}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(isMetrics && metrics == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void post(RouterServer router, int n) throws IOException, InterruptedException {
        long before = router.client().stats().of(Slot.B).requests();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < n; i++) {
            http.send(HttpRequest.newBuilder(URI.create(router.listenUri() + "/hook"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":{\"chat\":{\"id\":" + i + "}}}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        // the router counts a request as its answer completes, which can be a moment after the client has it
        dev.botshift.kubernetes.testing.Eventually.await(Duration.ofSeconds(5), n + " more requests counted",
                () -> router.client().stats().of(Slot.B).requests() == before + n);
    }
}
