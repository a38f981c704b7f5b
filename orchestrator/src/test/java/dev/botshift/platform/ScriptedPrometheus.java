package dev.botshift.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.botshift.core.Slot;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus HTTP API on WireMock whose answers the test scripts per slot: every requests query of a slot
 * (the default {@code bot_requests_total} template) adds {@value #PER_QUERY} requests to that slot's counter, and
 * the errors query answers the slot's error rate of it. Counters are cumulative, as the real ones are.
 */
final class ScriptedPrometheus implements AutoCloseable {
    static final int PER_QUERY = 100;
    private static final Pattern SLOT = Pattern.compile("slot=\"(a|b)\"");

    private final Map<Slot, Long> requests = new EnumMap<>(Slot.class);
    private final Map<Slot, Double> errorRate = new EnumMap<>(Slot.class);
    private final WireMockServer server;

    ScriptedPrometheus() {
        server = new WireMockServer(options().dynamicPort().extensions(new Answers()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ResponseDefinitionBuilder.okForEmptyJson()));
    }

    String url() {
        return server.baseUrl();
    }

    synchronized void errorRate(Slot slot, double rate) {
        errorRate.put(slot, rate);
    }

    synchronized long requests(Slot slot) {
        return requests.getOrDefault(slot, 0L);
    }

    private synchronized String answer(String query) {
        Matcher m = SLOT.matcher(query == null ? "" : query);
        if (!m.find()) {
            return "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no slot in query\"}";
        }
        Slot slot = Slot.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
        long value;
        if (query.contains("bot_requests_total")) {
            value = requests.merge(slot, (long) PER_QUERY, Long::sum);
        } else {
            value = Math.round(requests.getOrDefault(slot, 0L) * errorRate.getOrDefault(slot, 0.0));
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1767261600.0,\"" + value + "\"]}]}}";
    }

    private final class Answers implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String query = event.getRequest().queryParameter("query").isPresent()
                    ? event.getRequest().queryParameter("query").firstValue() : null;
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(answer(query)).build();
        }

        @Override
        public String getName() {
            return "scripted-prometheus";
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
