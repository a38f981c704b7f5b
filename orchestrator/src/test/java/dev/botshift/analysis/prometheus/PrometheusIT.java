package dev.botshift.analysis.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Slot;
import dev.botshift.os.JdkHttpServer;
import dev.botshift.os.ListenPort;
import dev.botshift.plan.AnalysisSpec.PrometheusSpec;
import dev.botshift.plan.MetricCheckSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider against a real Prometheus ({@code /usr/bin/prometheus}, installed before the integration tests by {@code .ci/test-tools.sh})
 * started on a free port, scraping an in-process endpoint that serves bot-style counters, and the REAL sample bot
 * processes (one per slot, on an embedded PostgreSQL with the v1 schema), so the default PromQL is proven
 * against the real engine and the real exposition.
 */
class PrometheusIT {
    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final AtomicLong GREEN_REQUESTS = new AtomicLong(40);
    private static final AtomicLong GREEN_ERRORS = new AtomicLong(2);
    @TempDir
    static Path dir;
    private static HttpServer bot;
    private static Process prometheus;
    private static int prometheusPort;
    private static SampleBots bots;

    @BeforeAll
    static void startBotAndPrometheus() throws Exception {
        assertThat(BINARY).as("Prometheus binary (mvn verify installs it through .ci/test-tools.sh)").isExecutable();
        bot = JdkHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bot.createContext("/metrics", exchange -> {
            byte[] body = metrics().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        bot.start();
        bots = new SampleBots();
        bots.start(Slot.A, "1.0.0", 0.0);
        bots.start(Slot.B, "1.1.0", 0.3);

        prometheusPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: sentiment-bot
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels:
                          namespace: bots
                  - job_name: sentiment-bot-processes
                    static_configs:
                      - targets: ['127.0.0.1:%d', '127.0.0.1:%d']
                        labels:
                          namespace: real
                """.formatted(bot.getAddress().getPort(), bots.port(Slot.A), bots.port(Slot.B)));
        prometheus = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    private static String metrics() {
        return """
                # HELP bot_requests_total Updates handled.
                # TYPE bot_requests_total counter
                bot_requests_total{slot="a",version="1.0.0"} 1000
                bot_requests_total{slot="b",version="2.0.0"} %d
                # HELP bot_handler_errors_total Updates whose handler failed, even if answered 200.
                # TYPE bot_handler_errors_total counter
                bot_handler_errors_total{slot="a",version="1.0.0"} 3
                bot_handler_errors_total{slot="b",version="2.0.0"} %d
                """.formatted(GREEN_REQUESTS.get(), GREEN_ERRORS.get());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (bot != null) {
            bot.stop(0);
        }
        if (bots != null) {
            try {
                bots.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static int freePort() {
        return ListenPort.pick(); // below the ephemeral range: no outgoing connection takes it first
    }

    /** Waits for a scrape that shows {@code expected}: Prometheus only sees a new value after its next scrape. */
    private static Observation awaitObservation(PrometheusMetricsProvider provider, MetricsTarget target,
                                                Observation expected)
            throws Exception {
        Observation last = null;
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            last = provider.observe(target);
            if (last.equals(expected)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus never showed " + expected + "; last answer " + last + "; log: "
                + Files.readString(dir.resolve("prometheus.log")));
    }

    @Test
    void countsOfEachColourFromARealPrometheus() throws Exception {
        PrometheusMetricsProvider provider = new PrometheusMetricsProvider(
                new PrometheusSpec("http://127.0.0.1:" + prometheusPort, null, null, Duration.ofSeconds(2), false),
                new PrometheusMetricsProvider.Scope("sentiment-bot", "bots", Duration.ofSeconds(10)));

        awaitObservation(provider, new MetricsTarget(Slot.B, "2.0.0"), new Observation.Measured(new Counts(40, 2)));
        assertThat(provider.observe(new MetricsTarget(Slot.A, "1.0.0"))).isEqualTo(new Observation.Measured(new Counts(1000, 3)));

        GREEN_REQUESTS.set(140);
        GREEN_ERRORS.set(7);
        Observation later = awaitObservation(provider, new MetricsTarget(Slot.B, "2.0.0"),
                new Observation.Measured(new Counts(140, 7)));
        assertThat(((Observation.Measured) later).counts().since(new Counts(40, 2))).isEqualTo(new Counts(100, 5));

        PrometheusMetricsProvider otherNamespace = new PrometheusMetricsProvider(
                new PrometheusSpec("http://127.0.0.1:" + prometheusPort, null, null, Duration.ofSeconds(2), false),
                new PrometheusMetricsProvider.Scope("sentiment-bot", "elsewhere", Duration.ofSeconds(10)));
        assertThat(otherNamespace.observe(new MetricsTarget(Slot.B, "2.0.0"))).isInstanceOf(Observation.NoData.class);
    }

    @Test
    void defaultQueriesCountTheRealSampleBotsRequestsAndFailures() throws Exception {
        bots.awaitHealthy(Slot.A);
        bots.awaitHealthy(Slot.B);
        int blueFailed = bots.send(Slot.A, 1, 30);
        int greenFailed = bots.send(Slot.B, 1001, 40);
        assertThat(blueFailed).isZero();
        assertThat(greenFailed).as("BOT_FAULT_RATE=0.3 of 40 updates").isPositive();

        PrometheusMetricsProvider provider = new PrometheusMetricsProvider(
                new PrometheusSpec("http://127.0.0.1:" + prometheusPort, null, null, Duration.ofSeconds(2), false),
                new PrometheusMetricsProvider.Scope("sentiment-bot", "real", Duration.ofSeconds(10)));

        // what the bots themselves exported, read from their /metrics: Prometheus must agree exactly
        Counts green = new Counts(bots.sampleSum(Slot.B, "bot_requests_total"),
                bots.sampleSum(Slot.B, "bot_handler_errors_total"));
        assertThat(green).isEqualTo(new Counts(40, greenFailed));
        awaitObservation(provider, new MetricsTarget(Slot.B, "1.1.0"), new Observation.Measured(green));
        awaitObservation(provider, new MetricsTarget(Slot.A, "1.0.0"), new Observation.Measured(new Counts(30, 0)));
    }

    /** The preflight's look at every query, against the real server: its parse errors are the query's fault. */
    @Test
    void aRealPrometheusRefusesAQueryItCannotParseAndThePreflightNamesTheField() {
        MetricCheckSpec parsable = new MetricCheckSpec("queue", "sum(bot_queue_depth{slot=\"{{slot}}\"})", null, 10.0,
                null, null, false);
        MetricCheckSpec unparsable = new MetricCheckSpec("rate", "sum(rate(bot_requests_total{slot=\"{{slot}}\"}))",
                null, 1.0, null, null, false);
        PrometheusSpec spec = new PrometheusSpec("http://127.0.0.1:" + prometheusPort, null, null,
                Duration.ofSeconds(2), false);
        PrometheusMetricsProvider.Scope scope = new PrometheusMetricsProvider.Scope("sentiment-bot", "bots",
                Duration.ofSeconds(10));
        MetricsTarget green = new MetricsTarget(Slot.B, "2.0.0");

        new PrometheusMetricsProvider(spec, scope, List.of(parsable)).checkQueries(green); // no series: still fine
        assertThatThrownBy(() -> new PrometheusMetricsProvider(spec, scope, List.of(parsable, unparsable))
                .checkQueries(green)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("analysis.metrics[1].query: Prometheus at http://127.0.0.1:" + prometheusPort
                        + " refused the query (HTTP 400, bad_data: ")
                .hasMessageContaining("as sent: sum(rate(bot_requests_total{slot=\"b\"}))");
    }
}
