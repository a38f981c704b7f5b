package dev.botshift.analysis.scrape;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@code bot-metrics} provider: scrapes {@code /metrics} of every instance of a colour and sums the bot's own
 * counters, {@code bot_requests_total} (requests) and {@code bot_handler_errors_total} (errors, however the bot
 * answered). It sees the errors a bot answers with 200, which no proxy can.
 *
 * <p>The sum per colour never drops because of one instance. Each instance's last reading is remembered: an
 * instance that vanished from the list, or did not answer this time, still contributes what it last reported, and
 * an instance whose counters went down (it restarted) has its earlier total carried as an offset. Without this, one
 * instance going away would make the colour's sum fall, {@link Counts#since} would take that for a reset of the
 * whole colour, and the next window would count every request since the start at once. The memory lives as long
 * as this provider object, i.e. one rollout run.
 */
public final class BotMetricsProvider implements MetricsProvider {
    private final Function<Slot, List<URI>> instances;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, Remembered> memory = new ConcurrentHashMap<>();

    private record Remembered(Slot slot, BotCounters last, BotCounters offset) {
        BotCounters total() {
            return last.plus(offset);
        }
    }

    /**
     * @param instances the base URIs of a colour's instances right now (the scrape path {@code /metrics} is added)
     */
    public BotMetricsProvider(Function<Slot, List<URI>> instances, Duration timeout) {
        this.instances = instances;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public Observation observe(MetricsTarget target) {
        BotReading reading = read(target);
        if (reading instanceof BotReading.Counted counted) {
            return new Observation.Measured(new Counts(counted.counters().requests(), counted.counters().handlerErrors()));
        }
        if (reading instanceof BotReading.NoData noData) {
            return new Observation.NoData(noData.why());
        }
        if (reading instanceof BotReading.NotExposed none) {
            return new Observation.NoData(none.url() + " " + none.why() + ": the bot serves no counters to judge by");
        }
        return new Observation.Unreachable(((BotReading.Unreachable) reading).why());
    }

    /** Scrapes every current instance of the target; see the class comment for how the sum is kept. */
    public synchronized BotReading read(MetricsTarget target) {
        Slot slot = target.slot();
        List<URI> current = instances.apply(slot);
        if (current.isEmpty()) {
            return new BotReading.NoData("no instance of " + target.version() + " to scrape");
        }
        List<String> failures = new ArrayList<>();
        BotReading.NotExposed notExposed = null;
        for (URI instance : current) {
            try {
                Optional<BotCounters> counters = scrape(instance);
                if (counters.isPresent()) {
                    remember(slot, instance, counters.get());
                } else {
                    notExposed = new BotReading.NotExposed(metricsUrl(instance), "has no " + PrometheusText.REQUESTS);
                }
            } catch (NotServed e) {
                notExposed = new BotReading.NotExposed(e.url, e.getMessage());
            } catch (ScrapeFailed e) {
                failures.add(e.getMessage());
            }
        }
        if (failures.size() == current.size()) {
            return new BotReading.Unreachable("no instance of " + target.version() + " answered: " + String.join("; ", failures));
        }
        Optional<BotCounters> sum = memory.values().stream()
                .filter(r -> r.slot() == slot)
                .map(Remembered::total)
                .reduce(BotCounters::plus);
        if (sum.isPresent()) {
            return new BotReading.Counted(sum.get());
        }
        return notExposed != null ? notExposed
                : new BotReading.NoData("no instance of " + target.version() + " exposes " + PrometheusText.REQUESTS);
    }

    /**
     * What one instance's {@code /metrics} says: empty when it is fine; otherwise why it serves nothing to judge by
     * (404, no {@code bot_requests_total}), or that it could not be asked. For {@code botshift plan} and the deploy's
     * preflight.
     */
    public Optional<String> probe(URI instance) {
        try {
            return scrape(instance).isPresent() ? Optional.empty()
                    : Optional.of(metricsUrl(instance) + " has no " + PrometheusText.REQUESTS);
        } catch (NotServed e) {
            return Optional.of(e.url + " " + e.getMessage());
        } catch (ScrapeFailed e) {
            return Optional.of("could not be probed: " + e.getMessage());
        }
    }

    private static String metricsUrl(URI instance) {
        return instance.resolve("/metrics").toString();
    }

    private void remember(Slot slot, URI instance, BotCounters counters) {
        memory.merge(instance.toString(), new Remembered(slot, counters, BotCounters.ZERO), (old, fresh) -> {
            BotCounters offset = counters.isResetFrom(old.last()) ? old.offset().plus(old.last()) : old.offset();
            return new Remembered(slot, counters, offset);
        });
    }

    private Optional<BotCounters> scrape(URI instance) throws ScrapeFailed {
        URI metrics = instance.resolve("/metrics");
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(metrics).timeout(timeout)
                            // the classic text format: the hawkular parser does not read OpenMetrics
                            .header("Accept", "text/plain; version=0.0.4").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ScrapeFailed(metrics + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScrapeFailed(metrics + ": interrupted");
        }
        if (response.statusCode() == 404) {
            throw new NotServed(metrics.toString(), "answered 404");
        }
        if (response.statusCode() != 200) {
            throw new ScrapeFailed(metrics + ": HTTP " + response.statusCode());
        }
        try {
            return PrometheusText.counters(response.body());
        } catch (RuntimeException e) {
            throw new ScrapeFailed(metrics + ": not Prometheus text: " + e.getMessage());
        }
    }

    /** One instance could not be scraped; the colour is unreachable only if all of them fail. */
    private static class ScrapeFailed extends Exception {
        ScrapeFailed(String message) {
            super(message);
        }
    }

    /** The instance answered, but has no {@code /metrics} at all: asking again will not help. */
    private static final class NotServed extends ScrapeFailed {
        final String url;

        NotServed(String url, String message) {
            super(message);
            this.url = url;
        }
    }
}
