package dev.botshift.analysis.scrape;

import dev.botshift.analysis.CheckProvider;
import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Ratio;
import dev.botshift.core.Slot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The custom checks' {@code counter} source on the local platform: scrapes {@code /metrics} of every instance of a
 * colour and sums the check's two counters over their series and the instances. Stateless: the judge keeps the
 * window's start and treats a sum that went down (an instance restarted) as a new window.
 *
 * <p>No instance, or no instance exposing the denominator, is no data; a numerator not exposed yet is 0 (a failure
 * counter may appear only at the first failure); an instance not answering makes the reading unreachable (a sum
 * without it is no measurement).
 */
public final class CounterPairProvider implements CheckProvider {
    private final Function<Slot, List<URI>> instances;
    private final Duration timeout;
    private final HttpClient http;

    /** @param instances the base URIs of a colour's instances right now ({@code /metrics} is added) */
    public CounterPairProvider(Function<Slot, List<URI>> instances, Duration timeout) {
        this.instances = instances;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public CheckReading read(MetricCheck check, MetricsTarget target) {
        if (!(check.source() instanceof MetricCheck.Source.Counters pair)) {
            return new CheckReading.NoData("check '" + check.name() + "' is not a counter pair");
        }
        List<URI> current = instances.apply(target.slot());
        if (current.isEmpty()) {
            return new CheckReading.NoData("no instance of " + target.version() + " to scrape");
        }
        double numerator = 0;
        double denominator = 0;
        boolean exposed = false;
        List<String> failures = new ArrayList<>();
        for (URI instance : current) {
            URI metrics = instance.resolve("/metrics");
            try {
                Map<String, Double> sums = PrometheusText.sums(scrape(metrics),
                        Set.of(pair.numerator(), pair.denominator()));
                if (sums.containsKey(pair.denominator())) {
                    exposed = true;
                    denominator += sums.get(pair.denominator());
                    numerator += sums.getOrDefault(pair.numerator(), 0.0);
                }
            } catch (IOException | RuntimeException e) {
                failures.add(metrics + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        if (!failures.isEmpty()) {
            // a sum without one instance would drop like a counter reset, and with it back jump by all it counted
            return new CheckReading.Unreachable(failures.size() + " of " + current.size() + " instances of "
                    + target.version() + " did not answer: " + String.join("; ", failures));
        }
        if (!exposed) {
            return new CheckReading.NoData("no instance of " + target.version() + " exposes " + pair.denominator());
        }
        return new CheckReading.Counted(new Ratio(numerator, denominator));
    }

    private byte[] scrape(URI metrics) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(metrics).timeout(timeout)
                            // the classic text format: the hawkular parser does not read OpenMetrics
                            .header("Accept", "text/plain; version=0.0.4").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }
}
