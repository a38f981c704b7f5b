package dev.botshift.analysis.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botshift.analysis.Latencies;
import dev.botshift.analysis.prometheus.PrometheusMetricsProvider.ProviderUnreachable;
import dev.botshift.analysis.prometheus.PrometheusMetricsProvider.QueryRefused;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Reads the Prometheus HTTP API's answer to an instant query (vector or scalar). */
final class PrometheusResponse {
    private PrometheusResponse() {
    }

    static OptionalDouble parse(int status, String body, String endpoint) {
        JsonNode data = data(status, body, endpoint);
        return switch (data.path("resultType").asText()) {
            case "vector" -> {
                double sum = 0;
                boolean any = false;
                for (JsonNode series : data.path("result")) {
                    double v = sample(series.path("value"));
                    if (!Double.isNaN(v)) {
                        sum += v;
                        any = true;
                    }
                }
                yield any ? OptionalDouble.of(sum) : OptionalDouble.empty();
            }
            case "scalar" -> {
                double v = sample(data.path("result"));
                yield Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
            }
            default -> throw new ProviderUnreachable("Prometheus at " + endpoint + " returned a "
                    + data.path("resultType").asText("missing") + " result; the query must return an instant vector");
        };
    }

    /**
     * A histogram's cumulative buckets, one series per {@code le} label (what {@code sum by (le) (…_bucket)} returns),
     * or null when there are none. Series without a readable {@code le} or value are skipped.
     */
    static Latencies buckets(int status, String body, String endpoint) {
        JsonNode data = data(status, body, endpoint);
        if (!"vector".equals(data.path("resultType").asText())) {
            throw new ProviderUnreachable("Prometheus at " + endpoint + " returned a "
                    + data.path("resultType").asText("missing") + " result; the latency query must return an instant"
                    + " vector with one series per le label");
        }
        Map<Double, Long> byBound = new TreeMap<>();
        for (JsonNode series : data.path("result")) {
            double v = sample(series.path("value"));
            double le = bound(series.path("metric").path("le").asText(""));
            if (!Double.isNaN(v) && !Double.isNaN(le)) {
                byBound.merge(le, Math.round(v), Long::sum);
            }
        }
        if (byBound.isEmpty()) {
            return null;
        }
        List<Double> bounds = new ArrayList<>(byBound.keySet());
        return Latencies.fromCumulative(bounds, new ArrayList<>(byBound.values()));
    }

    private static double bound(String le) {
        try {
            return "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Prometheus's errorType for a query it cannot parse or a parameter it refuses (HTTP 400): the query's fault. */
    private static final String BAD_DATA = "bad_data";

    private static JsonNode data(int status, String body, String endpoint) {
        JsonNode root;
        try {
            root = PrometheusMetricsProvider.readTree(body);
        } catch (IOException e) {
            throw new ProviderUnreachable("Prometheus at " + endpoint + " answered HTTP " + status
                    + " with a body that is not JSON");
        }
        if (!"success".equals(root.path("status").asText())) {
            String error = root.path("errorType").asText("error") + ": " + root.path("error").asText("(no message)");
            if (BAD_DATA.equals(root.path("errorType").asText())) {
                throw new QueryRefused("HTTP " + status + ", " + error);
            }
            throw new ProviderUnreachable("Prometheus at " + endpoint + " answered HTTP " + status + ": " + error);
        }
        if (status / 100 != 2) {
            throw new ProviderUnreachable("Prometheus at " + endpoint + " answered HTTP " + status);
        }
        return root.path("data");
    }

    /** {@code [<unix time>, "<value>"]}; Prometheus writes values as strings, including "NaN" and "+Inf". */
    private static double sample(JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(pair.get(1).asText());
            return Double.isInfinite(v) ? Double.NaN : v;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
