package dev.botshift.example.sentiment;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The bot's metrics. Their names and labels are a contract: Botshift's scrape-based metrics provider and the docs
 * code against them. Every bot instance has its own registry, so several bots can run in one JVM (tests).
 */
public final class BotMetrics {

    /** Values of the {@code answered} label: what the platform was told when the handler failed. */
    public enum Answered {
        SERVER_ERROR("5xx"), OK("2xx");

        final String label;

        Answered(String label) {
            this.label = label;
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String version;
    private final String colour;
    private final Counter requests;
    private final Counter handlerErrors;
    private final Histogram duration;

    public BotMetrics(String version, String colour) {
        this.version = version;
        this.colour = colour;
        requests = Counter.builder()
                .name("bot_requests_total")
                .help("Webhook requests by outcome: ok when the update was handled completely, error otherwise")
                .labelNames("version", "colour", "outcome")
                .register(registry);
        handlerErrors = Counter.builder()
                .name("bot_handler_errors_total")
                .help("Webhook requests whose handling failed, by what the platform was answered")
                .labelNames("version", "colour", "answered")
                .register(registry);
        duration = Histogram.builder()
                .name("bot_request_duration_seconds")
                .help("Time to handle a webhook request")
                .labelNames("version", "colour")
                .classicOnly()
                .register(registry);
        // Series exist from the start at zero, so a scrape can tell "no errors yet" from "no data".
        requests.initLabelValues(version, colour, "ok");
        requests.initLabelValues(version, colour, "error");
        for (Answered answered : Answered.values()) {
            handlerErrors.initLabelValues(version, colour, answered.label);
        }
        duration.initLabelValues(version, colour);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void ok(double seconds) {
        requests.labelValues(version, colour, "ok").inc();
        duration.labelValues(version, colour).observe(seconds);
    }

    /** A request that was refused (malformed body): an error outcome, but not a failure of the bot's handler. */
    public void rejected(double seconds) {
        requests.labelValues(version, colour, "error").inc();
        duration.labelValues(version, colour).observe(seconds);
    }

    public void handlerError(Answered answered, double seconds) {
        requests.labelValues(version, colour, "error").inc();
        handlerErrors.labelValues(version, colour, answered.label).inc();
        duration.labelValues(version, colour).observe(seconds);
    }
}
