package dev.botshift.traffic.router;

import dev.botshift.analysis.Latencies;
import dev.botshift.core.Slot;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The router's per-colour counters and latency histogram, kept in a registry of its own (not the JVM-wide default)
 * so that several routers in one JVM (tests) do not share numbers. Requests refused before routing are counted by
 * reason only; routed requests that were not a valid update are counted in their colour and, apart, by reason.
 */
public final class RouterMetrics {
    /**
     * 1 ms to 60 s, each bound 20 % above the last (62 bounds): the judge's p99 limit can be 20 % above blue's
     * (analysis.latency), and estimates inside a bucket are interpolated, so coarser buckets would blur exactly the
     * difference it looks for.
     */
    static final double[] LATENCY_BOUNDS = latencyBounds();

    private static double[] latencyBounds() {
        java.util.List<Double> bounds = new java.util.ArrayList<>();
        for (double b = 0.001; b < 60; b *= 1.2) {
            bounds.add(Math.round(b * 1e6) / 1e6); // exact decimals in /metrics' le labels
        }
        bounds.add(60.0);
        return bounds.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder()
            .name("botshift_router_requests_total")
            .help("Requests the router answered, by slot and status class")
            .labelNames("slot", "code_class")
            .register(registry);
    private final Histogram duration = Histogram.builder()
            .name("botshift_router_request_duration_seconds")
            .help("Time from receiving a request to completing its response, by slot (valid updates and 5xx answers)")
            .labelNames("slot")
            .classicOnly()
            .classicUpperBounds(LATENCY_BOUNDS)
            .register(registry);

    private final Gauge inFlight = Gauge.builder()
            .name("botshift_router_webhooks_in_flight")
            .help("Webhooks sent to a slot's instances and not answered yet (a local stop of a slot without traffic waits"
                    + " for none)")
            .labelNames("slot")
            .register(registry);

    /**
     * The data points the hot path writes, each looked up once (on its first use, so that /metrics still shows only
     * the series that occurred): {@code labelValues} builds a label list and hashes it on every call, which showed in
     * the router's profile. Nothing removes a data point, so a kept one stays the registered one; two threads that
     * look one up at once get the same.
     */
    private final Map<Slot, AtomicReferenceArray<CounterDataPoint>> requestsByClass = new EnumMap<>(Slot.class);
    private final Map<Slot, AtomicReference<DistributionDataPoint>> durationBySlot = new EnumMap<>(Slot.class);
    /** Looked up at once for both slots: 0 in flight is a reading, shown from the start. */
    private final Map<Slot, GaugeDataPoint> inFlightBySlot = new EnumMap<>(Slot.class);

    {
        for (Slot slot : Slot.values()) {
            requestsByClass.put(slot, new AtomicReferenceArray<>(10));
            durationBySlot.put(slot, new AtomicReference<>());
            inFlightBySlot.put(slot, inFlight.labelValues(slot.label()));
        }
    }

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

    private final Counter guardTrips = Counter.builder()
            .name("botshift_router_guard_trips_total")
            .help("Times the router's guard cut green to 0 % on its own (its sequential test on green's answers crossed)")
            .register(registry);

    /**
     * Exposes the guard's two sums as {@code botshift_router_guard_statistic} (against the limit) and
     * {@code botshift_router_guard_steep_statistic} (against three times it), and the green answers it did not weigh
     * because blue was failing too as {@code botshift_router_guard_held_answers} (for the rollout it is armed for), and
     * blue's own two sums, which hold a crossing of green's while either stands high, as
     * {@code botshift_router_guard_blue_statistic} and {@code botshift_router_guard_blue_steep_statistic}: all five
     * from one reading at each scrape, so that they agree with each other (a reading each could straddle an answer).
     */
    void watchGuard(GuardWatch guard) {
        registry.register((MultiCollector) () -> {
            GuardWatch.Reading r = guard.reading();
            return MetricSnapshots.of(
                    gauge("botshift_router_guard_statistic", "The router guard's sequential test on green's answers, "
                            + "against the limit (it cuts green at its threshold)", r.statistic()),
                    gauge("botshift_router_guard_steep_statistic", "The router guard's second sum on green's answers, "
                            + "against three times the limit (it cuts green at its own threshold)", r.steepStatistic()),
                    gauge("botshift_router_guard_held_answers", "Green's answers the router's guard did not weigh "
                            + "because blue was failing too (a shared cause), for the rollout it is armed for", r.held()),
                    gauge("botshift_router_guard_blue_statistic", "Blue's own sum of the router guard's test, against "
                            + "the limit (a crossing of green's is held while either of blue's sums stands high)",
                            r.blueStatistic()),
                    gauge("botshift_router_guard_blue_steep_statistic", "Blue's own second sum of the router guard's "
                            + "test, against three times the limit", r.blueSteepStatistic()));
        });
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    void guardTripped() {
        guardTrips.inc();
    }

    public void record(Slot slot, int status, long nanos) {
        record(slot, status, nanos, null);
    }

    /** @param why null for a valid update */
    public void record(Slot slot, int status, long nanos, InvalidUpdate why) {
        int classIndex = status / 100;
        requestsOf(slot, classIndex).inc();
        if (why == null || status >= 500) {
            // the requests the judge weighs (SlotStats.judgedRequests): junk answered 4xx in no time would hide a slow
            // release's latency as it would hide its errors
            durationOf(slot).observe(nanos / 1e9);
        }
        if (why != null) {
            invalid.labelValues(slot.label(), why.label(), classIndex + "xx").inc();
        }
    }

    private CounterDataPoint requestsOf(Slot slot, int classIndex) {
        if (classIndex < 0 || classIndex >= 10) {
            return requests.labelValues(slot.label(), classIndex + "xx");
        }
        AtomicReferenceArray<CounterDataPoint> byClass = requestsByClass.get(slot);
        CounterDataPoint point = byClass.get(classIndex);
        if (point == null) {
            point = requests.labelValues(slot.label(), classIndex + "xx");
            byClass.set(classIndex, point);
        }
        return point;
    }

    private DistributionDataPoint durationOf(Slot slot) {
        AtomicReference<DistributionDataPoint> kept = durationBySlot.get(slot);
        DistributionDataPoint point = kept.get();
        if (point == null) {
            point = duration.labelValues(slot.label());
            kept.set(point);
        }
        return point;
    }

    /** A webhook written to one of {@code slot}'s instances; {@link #answeredBy} once that exchange ended. */
    void sentTo(Slot slot) {
        inFlightBySlot.get(slot).inc();
    }

    void answeredBy(Slot slot) {
        inFlightBySlot.get(slot).dec();
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
            Latencies latency = latencies(latencies.getOrDefault(slot, ClassicHistogramBuckets.EMPTY));
            result.put(slot, new RouterStats.SlotStats(c[0], c[1],
                    latency.quantile(0.5), latency.quantile(0.99), inv[0], inv[1], latency,
                    (long) inFlightBySlot.get(slot).get()));
        }
        return new RouterStats(result, refusedByReason, invalidByReason);
    }

    /** The client library's buckets (a count per bucket, +Inf last) as the judge reads them; none: all zero. */
    static Latencies latencies(ClassicHistogramBuckets buckets) {
        java.util.List<Double> bounds = java.util.Arrays.stream(LATENCY_BOUNDS).boxed().toList();
        if (buckets.size() == 0) {
            return new Latencies(bounds, java.util.Collections.nCopies(bounds.size() + 1, 0L));
        }
        java.util.List<Long> counts = new java.util.ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            counts.add(buckets.getCount(i));
        }
        return new Latencies(bounds, counts);
    }
}
