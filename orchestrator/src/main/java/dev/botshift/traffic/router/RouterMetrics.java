package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The router's per-colour counters and latency histogram, kept in a registry of its own (not the JVM-wide default)
 * so that several routers in one JVM (tests) do not share numbers. Requests refused before routing are counted by
 * reason only; routed requests that were not a valid update are counted in their colour and, apart, by reason.
 */
public final class RouterMetrics {
    private static final double[] LATENCY_BOUNDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder()
            .name("botshift_router_requests_total")
            .help("Requests the router answered, by slot and status class")
            .labelNames("slot", "code_class")
            .register(registry);
    private final Histogram duration = Histogram.builder()
            .name("botshift_router_request_duration_seconds")
            .help("Time from receiving a request to completing its response, by slot")
            .labelNames("slot")
            .classicOnly()
            .classicUpperBounds(LATENCY_BOUNDS)
            .register(registry);

    private final Counter refused = Counter.builder()
            .name("botshift_router_refused_total")
            .help("Webhook requests refused before routing (failed verification), by reason; they reached no bot")
            .labelNames("reason")
            .register(registry);
    private final Counter invalid = Counter.builder()
            .name("botshift_router_invalid_total")
            .help("Routed requests that were not a valid update (not JSON, no sticky key), by slot, reason and status class")
            .labelNames("slot", "reason", "code_class")
            .register(registry);

    public void record(Slot slot, int status, long nanos) {
        record(slot, status, nanos, null);
    }

    /** @param why null for a valid update */
    public void record(Slot slot, int status, long nanos, InvalidUpdate why) {
        String codeClass = (status / 100) + "xx";
        requests.labelValues(slot.label(), codeClass).inc();
        duration.labelValues(slot.label()).observe(nanos / 1e9);
        if (why != null) {
            invalid.labelValues(slot.label(), why.label(), codeClass).inc();
        }
    }

    public void refused(Refusal reason) {
        refused.labelValues(reason.label()).inc();
    }

    public void writeText(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    public static String textContentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public RouterStats stats() {
        Map<Slot, long[]> counts = new EnumMap<>(Slot.class);
        for (CounterSnapshot.CounterDataPointSnapshot point : requests.collect().getDataPoints()) {
            Slot slot = Slot.valueOf(point.getLabels().get("slot").toUpperCase(java.util.Locale.ROOT));
            long[] c = counts.computeIfAbsent(slot, k -> new long[2]);
            c[0] += (long) point.getValue();
            if ("5xx".equals(point.getLabels().get("code_class"))) {
                c[1] += (long) point.getValue();
            }
        }
        Map<Slot, ClassicHistogramBuckets> latencies = new EnumMap<>(Slot.class);
        for (HistogramSnapshot.HistogramDataPointSnapshot point : duration.collect().getDataPoints()) {
            latencies.put(Slot.valueOf(point.getLabels().get("slot").toUpperCase(java.util.Locale.ROOT)),
                    point.getClassicBuckets());
        }
        Map<Slot, long[]> invalidCounts = new EnumMap<>(Slot.class);
        Map<String, Long> invalidByReason = new TreeMap<>();
        for (CounterSnapshot.CounterDataPointSnapshot point : invalid.collect().getDataPoints()) {
            Slot slot = Slot.valueOf(point.getLabels().get("slot").toUpperCase(java.util.Locale.ROOT));
            long n = (long) point.getValue();
            long[] c = invalidCounts.computeIfAbsent(slot, k -> new long[2]);
            c[0] += n;
            if ("5xx".equals(point.getLabels().get("code_class"))) {
                c[1] += n;
            }
            invalidByReason.merge(point.getLabels().get("reason"), n, Long::sum);
        }
        Map<String, Long> refusedByReason = new TreeMap<>();
        for (CounterSnapshot.CounterDataPointSnapshot point : refused.collect().getDataPoints()) {
            refusedByReason.merge(point.getLabels().get("reason"), (long) point.getValue(), Long::sum);
        }
        Map<Slot, RouterStats.SlotStats> result = new EnumMap<>(Slot.class);
        for (Slot slot : Slot.values()) {
            long[] c = counts.getOrDefault(slot, new long[2]);
            long[] inv = invalidCounts.getOrDefault(slot, new long[2]);
            ClassicHistogramBuckets buckets = latencies.getOrDefault(slot, ClassicHistogramBuckets.EMPTY);
            result.put(slot, new RouterStats.SlotStats(c[0], c[1],
                    quantile(buckets, 0.5), quantile(buckets, 0.99), inv[0], inv[1]));
        }
        return new RouterStats(result, refusedByReason, invalidByReason);
    }

    /**
     * Estimates a quantile from bucket counts the way PromQL's {@code histogram_quantile} does: find the bucket
     * holding the rank and interpolate linearly inside it. The last (+Inf) bucket answers its lower bound.
     */
    static double quantile(ClassicHistogramBuckets buckets, double q) {
        long total = 0;
        for (int i = 0; i < buckets.size(); i++) {
            total += buckets.getCount(i);
        }
        if (total == 0) {
            return 0;
        }
        double rank = q * total;
        long below = 0;
        double lower = 0;
        for (int i = 0; i < buckets.size(); i++) {
            long count = buckets.getCount(i);
            double upper = buckets.getUpperBound(i);
            if (below + count >= rank && count > 0) {
                if (Double.isInfinite(upper)) {
                    return lower;
                }
                return lower + (upper - lower) * (rank - below) / count;
            }
            below += count;
            lower = upper;
        }
        return lower;
    }
}
