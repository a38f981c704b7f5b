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
    private final String slot;
    private final Counter requests;
    private final Counter handlerErrors;
    private final Histogram duration;

    public BotMetrics(String version, String slot) {
        this.version = version;
        this.slot = slot;
        requests = Counter.builder()
                .name("bot_requests_total")
                .help("Webhook requests by outcome: ok when the update was handled completely, error otherwise")
                .labelNames("version", "slot", "outcome")
                .register(registry);
        handlerErrors = Counter.builder()
                .name("bot_handler_errors_total")
                .help("Webhook requests whose handling failed, by what the platform was answered")
                .labelNames("version", "slot", "answered")
                .register(registry);
        duration = Histogram.builder()
                .name("bot_request_duration_seconds")
                .help("Time to handle a webhook request")
                .labelNames("version", "slot")
                .classicOnly()
                .register(registry);
        // Series exist from the start at zero, so a scrape can tell "no errors yet" from "no data".
        requests.initLabelValues(version, slot, "ok");
        requests.initLabelValues(version, slot, "error");
        for (Answered answered : Answered.values()) {
            handlerErrors.initLabelValues(version, slot, answered.label);
        }
        duration.initLabelValues(version, slot);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void ok(double seconds) {
        requests.labelValues(version, slot, "ok").inc();
        duration.labelValues(version, slot).observe(seconds);
    }

    /** A request that was refused (malformed body): an error outcome, but not a failure of the bot's handler. */
    public void rejected(double seconds) {
        requests.labelValues(version, slot, "error").inc();
        duration.labelValues(version, slot).observe(seconds);
    }

    public void handlerError(Answered answered, double seconds) {
        requests.labelValues(version, slot, "error").inc();
        handlerErrors.labelValues(version, slot, answered.label).inc();
        duration.labelValues(version, slot).observe(seconds);
    }
}
