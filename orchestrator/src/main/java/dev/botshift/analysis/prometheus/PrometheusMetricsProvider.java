package dev.botshift.analysis.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.analysis.CheckProvider;
import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.Latencies;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.core.Slot;
import dev.botshift.core.DurationText;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.UnreachableException;
import dev.botshift.os.NetworkFailures;
import dev.botshift.plan.AnalysisSpec.PrometheusSpec;
import dev.botshift.plan.MetricCheckSpec;
import dev.botshift.plan.PlanDefaults;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Requests and errors of a colour from Prometheus, by two instant queries ({@code GET /api/v1/query}), its
 * latency histogram by a third when the plan judges latency, and the value of each custom check's query
 * ({@code analysis.metrics}). The queries
 * must return cumulative counts (raw counters summed over the colour's pods, as the defaults do), because the judge
 * takes differences between readings with {@link Counts#since}; a pod restart resets a counter and the judge then
 * counts from zero. No series for requests is {@link Observation.NoData}; a refused connection, a timeout, a 5xx or
 * {@code "status":"error"} is {@link Observation.Unreachable}.
 */
public final class PrometheusMetricsProvider implements MetricsProvider, CheckProvider {
    /** the sample bot's request counter, per colour and version, in the app's namespace */
    public static final String DEFAULT_REQUESTS_QUERY =
            "sum(bot_requests_total{namespace=\"{{namespace}}\",slot=\"{{slot}}\",version=\"{{version}}\"})";
    /** errors the bot's handlers reported, even when they answered 200 */
    public static final String DEFAULT_ERRORS_QUERY =
            "sum(bot_handler_errors_total{namespace=\"{{namespace}}\",slot=\"{{slot}}\",version=\"{{version}}\"})";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String requestsQuery;
    private final String errorsQuery;
    /** null: latency is not asked for */
    private final String latencyQuery;
    private final Duration timeout;
    private final Scope scope;
    private final HttpClient http;
    /** Every query template of the plan by its field, in the plan's order: what {@link #checkQueries} sends. */
    private final Map<String, String> templates = new LinkedHashMap<>();
    /** Each custom check's query field by the check's name: the same words in the preflight and mid-rollout. */
    private final Map<String, String> checkFields = new LinkedHashMap<>();

    /**
     * @param scope fills {@code {{app}} {{namespace}} {{window}}}; {@code {{slot}}} and {@code {{version}}} come
     *              with each query's {@link MetricsTarget}
     */
    public PrometheusMetricsProvider(PrometheusSpec spec, Scope scope) {
        this(spec, scope, List.of());
    }

    /**
     * @param checks the plan's custom checks: their query templates are checked now, with their field named
     */
    public PrometheusMetricsProvider(PrometheusSpec spec, Scope scope, List<MetricCheckSpec> checks) {
        this.base = URI.create(spec.url().endsWith("/") ? spec.url() : spec.url() + "/");
        this.requestsQuery = spec.requestsQuery() == null ? DEFAULT_REQUESTS_QUERY : spec.requestsQuery();
        this.errorsQuery = spec.errorsQuery() == null ? DEFAULT_ERRORS_QUERY : spec.errorsQuery();
        this.latencyQuery = spec.latencyQuery();
        this.timeout = spec.timeout() == null ? PlanDefaults.PROMETHEUS_TIMEOUT : spec.timeout();
        this.scope = scope;
        this.http = InsecureTls.clientBuilder(spec.insecureSkipTlsVerify()).connectTimeout(timeout).build();
        templates.put("analysis.prometheus.requestsQuery", requestsQuery);
        templates.put("analysis.prometheus.errorsQuery", errorsQuery);
        if (latencyQuery != null) {
            templates.put("analysis.prometheus.latencyQuery", latencyQuery);
        }
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i).query() != null) {
                String field = "analysis.metrics[" + i + "].query";
                templates.put(field, checks.get(i).query());
                checkFields.put(checks.get(i).name(), field);
            }
        }
        // fail on a bad template now, with the plan field named, not at the first verdict
        MetricsTarget example = new MetricsTarget(Slot.A, "1.0.0");
        templates.forEach((field, template) -> query(template, example, field));
    }

    /**
     * A deploy's preflight: sends every query of the plan once, for {@code target}, so that a query Prometheus
     * cannot parse is refused before anything runs instead of leaving the rollout inconclusive at every verdict.
     *
     * @throws InvalidInputException  naming the field, Prometheus's error and the query as sent
     * @throws UnreachableException   when Prometheus does not answer (or answers with a server error)
     */
    public void checkQueries(MetricsTarget target) {
        for (Map.Entry<String, String> t : templates.entrySet()) {
            String promql = query(t.getValue(), target, t.getKey());
            try {
                send(promql, t.getKey(), PrometheusResponse::parse);
            } catch (QueryRefused e) {
                throw new InvalidInputException(e.getMessage(), null);
            } catch (ProviderUnreachable e) {
                throw new UnreachableException(e.getMessage(), null);
            }
        }
    }

    /** The fixed placeholders of a rollout; {@code window} is the analysis interval. */
    public record Scope(String app, String namespace, Duration window) {
    }

    @Override
    public Observation observe(MetricsTarget target) {
        try {
            OptionalDouble requests = instant(requestsQuery, target, "analysis.prometheus.requestsQuery");
            if (requests.isEmpty()) {
                return new Observation.NoData("Prometheus has no requests series of " + target.version() + " yet");
            }
            // a colour that never failed may not have exported its error counter yet
            OptionalDouble errors = instant(errorsQuery, target, "analysis.prometheus.errorsQuery");
            Latencies latency = latencyQuery == null ? null
                    : send(query(latencyQuery, target, "analysis.prometheus.latencyQuery"),
                            "analysis.prometheus.latencyQuery", PrometheusResponse::buckets);
            return new Observation.Measured(new Counts(Math.round(requests.getAsDouble()),
                    Math.round(errors.orElse(0)), latency));
        } catch (ProviderUnreachable e) {
            return new Observation.Unreachable(e.getMessage());
        }
    }

    /**
     * A custom check's query for one colour: its value summed over the series it returns (write it to return one);
     * no series, or only NaN, is no data.
     */
    @Override
    public CheckReading read(MetricCheck check, MetricsTarget target) {
        if (!(check.source() instanceof MetricCheck.Source.Query q)) {
            return new CheckReading.NoData("check '" + check.name() + "' is not a PromQL query");
        }
        try {
            OptionalDouble value = instant(q.template(), target,
                    checkFields.getOrDefault(check.name(), "the query of check '" + check.name() + "'"));
            return value.isPresent() ? new CheckReading.Value(value.getAsDouble())
                    : new CheckReading.NoData("Prometheus has no series for check '" + check.name() + "' of "
                    + target.version());
        } catch (ProviderUnreachable e) {
            return new CheckReading.Unreachable(e.getMessage());
        }
    }

    String query(String template, MetricsTarget target, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("slot", target.slot().label());
        values.put("version", target.version() == null ? "" : target.version());
        values.put("namespace", scope.namespace() == null ? "" : scope.namespace());
        values.put("app", scope.app());
        values.put("window", DurationText.format(scope.window()));
        return PromQlTemplate.render(template, values, field);
    }

    /** The value of an instant query summed over its series; empty when there are none (or only NaN). */
    private OptionalDouble instant(String template, MetricsTarget target, String field) {
        return send(query(template, target, field), field, PrometheusResponse::parse);
    }

    /** What an instant query's answer reads as. */
    private interface Reading<T> {
        T read(int status, String body, String endpoint);
    }

    /** @param field the plan field the query comes from, named when Prometheus refuses it */
    private <T> T send(String promql, String field, Reading<T> reading) {
        URI uri = base.resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ProviderUnreachable("Prometheus at " + endpoint() + " did not answer within "
                    + DurationText.format(timeout));
        } catch (IOException e) {
            throw new ProviderUnreachable("Prometheus at " + endpoint() + " cannot be reached: "
                    + NetworkFailures.why(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnreachable("interrupted while asking Prometheus at " + endpoint());
        }
        try {
            return reading.read(response.statusCode(), response.body(), endpoint());
        } catch (QueryRefused e) {
            throw new QueryRefused(field + ": Prometheus at " + endpoint() + " refused the query (" + e.getMessage()
                    + "); as sent: " + promql);
        }
    }

    /** scheme://host:port only: a URL's user-info or query could hold a credential */
    private String endpoint() {
        return base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
    }

    /** Internal signal that turns into {@link Observation.Unreachable}. */
    static class ProviderUnreachable extends RuntimeException {
        ProviderUnreachable(String message) {
            super(message);
        }
    }

    /**
     * Prometheus answered, and refused the query itself (its {@code bad_data}: a parse error, a bad parameter): the
     * plan's fault, refused at a deploy's preflight ({@link #checkQueries}); met during a rollout (Prometheus changed
     * under it), the verdict is inconclusive with this message, which names the field and the query.
     */
    static final class QueryRefused extends ProviderUnreachable {
        QueryRefused(String message) {
            super(message);
        }
    }

    static JsonNode readTree(String body) throws IOException {
        return JSON.readTree(body);
    }
}
