package dev.botshift.analysis.scrape;

import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * Reads the bot counters out of a Prometheus text exposition, using the hawkular text-format parser. That parser
 * only reads samples that follow a {@code # TYPE} line of their family (which every Prometheus client library
 * writes); samples without one are skipped, so such an exposition reads as "no series".
 */
final class PrometheusText {
    static final String REQUESTS = "bot_requests_total";
    static final String HANDLER_ERRORS = "bot_handler_errors_total";

    private PrometheusText() {
    }

    /** The bot's counters in {@code text}, or empty when it exposes no {@code bot_requests_total} series. */
    static Optional<BotCounters> counters(byte[] text) {
        CollectorPrometheusMetricsWalker collector = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(text), collector).walk();
        List<MetricFamily> families = collector.getAllMetricFamilies();
        if (families == null) {
            return Optional.empty();
        }
        boolean sawRequests = false;
        double requests = 0;
        double errors = 0;
        double answeredOk = 0;
        for (MetricFamily family : families) {
            for (Metric metric : family.getMetrics()) {
                String name = metric.getName() != null ? metric.getName() : family.getName();
                if (REQUESTS.equals(name)) {
                    sawRequests = true;
                    requests += value(metric);
                } else if (HANDLER_ERRORS.equals(name)) {
                    double v = value(metric);
                    errors += v;
                    if ("2xx".equals(metric.getLabels().get("answered"))) {
                        answeredOk += v;
                    }
                }
            }
        }
        return sawRequests
                ? Optional.of(new BotCounters((long) requests, (long) errors, (long) answeredOk))
                : Optional.empty();
    }

    /**
     * Each named metric's value summed over all its series, for the names that have at least one; a name without a
     * series is left out ("not exposed", not 0).
     */
    static Map<String, Double> sums(byte[] text, Set<String> names) {
        CollectorPrometheusMetricsWalker collector = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(text), collector).walk();
        Map<String, Double> sums = new HashMap<>();
        List<MetricFamily> families = collector.getAllMetricFamilies();
        for (MetricFamily family : families == null ? List.<MetricFamily>of() : families) {
            for (Metric metric : family.getMetrics()) {
                String name = metric.getName() != null ? metric.getName() : family.getName();
                if (names.contains(name)) {
                    sums.merge(name, value(metric), Double::sum);
                }
            }
        }
        return sums;
    }

    /** A counter without a {@code # TYPE} line is parsed as a gauge; the number is the same. */
    private static double value(Metric metric) {
        if (metric instanceof Counter counter) {
            return counter.getValue();
        }
        if (metric instanceof Gauge gauge) {
            return gauge.getValue();
        }
        return 0;
    }
}
