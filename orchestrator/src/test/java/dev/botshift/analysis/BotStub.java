package dev.botshift.analysis;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.testing.LoopbackHttp;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.net.URI;

/**
 * A bot-shaped real HTTP server: answers webhooks on {@code /} and exposes its own counters on {@code /metrics}
 * with the Prometheus client library, as a real bot would.
 */
public final class BotStub implements AutoCloseable {
    /** What the next webhooks do. */
    public enum Mode { OK, HIDDEN_ERROR, ERROR }

    private final HttpServer server;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("bot_requests_total").help("updates handled")
            .labelNames("outcome").register(registry);
    private final Counter errors = Counter.builder().name("bot_handler_errors_total").help("handler failures")
            .labelNames("answered").register(registry);
    private volatile Mode mode = Mode.OK;
    private volatile String metricsOverride;

    public BotStub() {
        server = LoopbackHttp.bind(2);
        server.createContext("/metrics", exchange -> {
            byte[] body;
            if (metricsOverride != null) {
                body = metricsOverride.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrometheusTextFormatWriter.create().write(out, registry.scrape());
                body = out.toByteArray();
            }
            exchange.getResponseHeaders().add("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Mode handled = count();
            exchange.sendResponseHeaders(handled == Mode.ERROR ? 500 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    public URI uri() {
        return LoopbackHttp.uri(server);
    }

    public BotStub mode(Mode newMode) {
        this.mode = newMode;
        return this;
    }

    /** Serve this text on /metrics instead of the real counters. */
    public BotStub metricsText(String text) {
        this.metricsOverride = text;
        return this;
    }

    /** Handles {@code n} webhooks directly (without a router) in the current mode. */
    public void handle(int n) {
        for (int i = 0; i < n; i++) {
            count();
        }
    }

    /** Counts one webhook as the current mode handles it; returns that mode (read once, so the answer matches). */
    private Mode count() {
        Mode now = mode;
        switch (now) {
            case OK -> requests.labelValues("ok").inc();
            case HIDDEN_ERROR -> {
                requests.labelValues("error").inc();
                errors.labelValues("2xx").inc();
            }
            case ERROR -> {
                requests.labelValues("error").inc();
                errors.labelValues("5xx").inc();
            }
        }
        return now;
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }
}
