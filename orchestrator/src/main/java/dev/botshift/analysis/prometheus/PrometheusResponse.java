package dev.botshift.analysis.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botshift.analysis.prometheus.PrometheusMetricsProvider.ProviderUnreachable;
import java.io.IOException;
import java.util.OptionalDouble;

/** Reads the Prometheus HTTP API's answer to an instant query (vector or scalar). */
final class PrometheusResponse {
    private PrometheusResponse() {
    }

    static OptionalDouble parse(int status, String body, String endpoint) {
        JsonNode root;
        try {
            root = PrometheusMetricsProvider.readTree(body);
        } catch (IOException e) {
            throw new ProviderUnreachable("Prometheus at " + endpoint + " answered HTTP " + status
                    + " with a body that is not JSON");
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new ProviderUnreachable("Prometheus at " + endpoint + " answered HTTP " + status + ": "
                    + root.path("errorType").asText("error") + ": " + root.path("error").asText("(no message)"));
        }
        if (status / 100 != 2) {
            throw new ProviderUnreachable("Prometheus at " + endpoint + " answered HTTP " + status);
        }
        JsonNode data = root.path("data");
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
