package dev.botshift.analysis.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.AnalysisSpec.PrometheusSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PrometheusMetricsProviderTest {
    private static final PrometheusMetricsProvider.Scope SCOPE =
            new PrometheusMetricsProvider.Scope("sentiment-bot", "bots", Duration.ofSeconds(30));
    private static final String GREEN_REQUESTS =
            "sum(bot_requests_total{namespace=\"bots\",slot=\"b\",version=\"2.0.0\"})";
    private static final String GREEN_ERRORS =
            "sum(bot_handler_errors_total{namespace=\"bots\",slot=\"b\",version=\"2.0.0\"})";
    /** An in-process Prometheus API, emptied before each test. */
    @RegisterExtension
    static final WireMockExtension prometheus = WireMockExtension.newInstance()
            .options(options().dynamicPort()).build();

    /** What each query is about: green's instances, running 2.0.0 (the caller passes it, as the runner does). */
    private static final MetricsTarget GREEN = new MetricsTarget(Slot.B, "2.0.0");

    private static PrometheusMetricsProvider provider(String url, Duration timeout) {
        return new PrometheusMetricsProvider(new PrometheusSpec(url, null, null, timeout, false), SCOPE);
    }

    private static PrometheusMetricsProvider provider() {
        return provider(prometheus.baseUrl(), Duration.ofSeconds(15));
    }

    private static String vector(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1767261600.123,\"" + value + "\"]}]}}";
    }

    private static final String EMPTY = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";

    private static void answer(String query, String body) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .willReturn(okJson(body)));
    }

    private static final String GREEN_LATENCY =
            "sum by (le) (bot_request_duration_seconds_bucket{slot=\"b\",version=\"2.0.0\"})";

    @Test
    void aLatencyQueryReadsTheHistogramsBucketsPerLeLabel() {
        answer(GREEN_REQUESTS, vector("100"));
        answer(GREEN_ERRORS, vector("1"));
        answer(GREEN_LATENCY, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"le\":\"+Inf\"},\"value\":[1,\"100\"]},"
                + "{\"metric\":{\"le\":\"0.1\"},\"value\":[1,\"60\"]},"
                + "{\"metric\":{\"le\":\"0.5\"},\"value\":[1,\"97\"]},"
                + "{\"metric\":{},\"value\":[1,\"5\"]}]}}"); // a series without le is not a bucket
        PrometheusMetricsProvider latency = new PrometheusMetricsProvider(new PrometheusSpec(prometheus.baseUrl(),
                null, null, Duration.ofSeconds(15), false,
                "sum by (le) (bot_request_duration_seconds_bucket{slot=\"{{slot}}\",version=\"{{version}}\"})"), SCOPE);

        Observation o = latency.observe(GREEN);

        assertThat(o).isInstanceOfSatisfying(Observation.Measured.class, m -> {
            assertThat(m.counts().requests()).isEqualTo(100);
            assertThat(m.counts().latency()).isEqualTo(new dev.botshift.analysis.Latencies(
                    java.util.List.of(0.1, 0.5), java.util.List.of(60L, 37L, 3L)));
        });
        assertThat(provider().observe(GREEN)).as("without a latency query, none is asked for")
                .isInstanceOfSatisfying(Observation.Measured.class, m -> assertThat(m.counts().latency()).isNull());
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("query",
                equalTo(GREEN_LATENCY)));
    }

    @Test
    void cumulativeCountsFromTheDefaultQueries() {
        answer(GREEN_REQUESTS, vector("1234"));
        answer(GREEN_ERRORS, vector("17"));

        assertThat(provider().observe(GREEN)).isEqualTo(new Observation.Measured(new Counts(1234, 17)));
    }

    @Test
    void noRequestSeriesIsNoDataAndAMissingErrorSeriesIsZero() {
        answer(GREEN_REQUESTS, EMPTY);
        assertThat(provider().observe(GREEN)).isInstanceOf(Observation.NoData.class);

        prometheus.resetAll();
        answer(GREEN_REQUESTS, vector("50"));
        answer(GREEN_ERRORS, EMPTY);
        assertThat(provider().observe(GREEN)).isEqualTo(new Observation.Measured(new Counts(50, 0)));
    }

    @Test
    void nanIsNoValue() {
        // a NaN requests value (e.g. a division by an absent series) is no data, never a count
        answer(GREEN_REQUESTS, vector("NaN"));
        assertThat(provider().observe(GREEN)).isInstanceOf(Observation.NoData.class);

        prometheus.resetAll();
        answer(GREEN_REQUESTS, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"pod\":\"a\"},\"value\":[1767261600.1,\"NaN\"]},"
                + "{\"metric\":{\"pod\":\"b\"},\"value\":[1767261600.1,\"80\"]},"
                + "{\"metric\":{\"pod\":\"c\"},\"value\":[1767261600.1,\"+Inf\"]}]}}");
        answer(GREEN_ERRORS, vector("NaN"));
        assertThat(provider().observe(GREEN)).as("NaN and +Inf series are left out of the sum")
                .isEqualTo(new Observation.Measured(new Counts(80, 0)));

        prometheus.resetAll();
        answer(GREEN_REQUESTS, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
                + "\"result\":[1767261600.1,\"NaN\"]}}");
        assertThat(provider().observe(GREEN)).isInstanceOf(Observation.NoData.class);
    }

    @Test
    void slowErrorsQueryMakesTheWholeObservationUnreachable() {
        answer(GREEN_REQUESTS, vector("100"));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(GREEN_ERRORS))
                .willReturn(okJson(vector("3")).withFixedDelay(3000)));
        PrometheusMetricsProvider impatient = provider(prometheus.baseUrl(), Duration.ofMillis(300));

        Observation o = impatient.observe(GREEN);

        assertThat(o).as("never half a reading: requests without their errors would look healthy")
                .isInstanceOf(Observation.Unreachable.class);
    }

    @Test
    void errorStatusIsUnreachableWithPrometheusOwnMessage() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out\"}")));

        Observation o = provider().observe(GREEN);

        assertThat(o).isInstanceOf(Observation.Unreachable.class);
        assertThat(((Observation.Unreachable) o).why()).contains("execution").contains("query timed out");
    }

    @Test
    void serverErrorIsUnreachable() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(500)
                .withBody("upstream exploded")));

        Observation o = provider().observe(GREEN);

        assertThat(o).isInstanceOf(Observation.Unreachable.class);
        assertThat(((Observation.Unreachable) o).why()).contains("500");
    }

    @Test
    void slowAnswerIsUnreachableAfterTheTimeout() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson(vector("1")).withFixedDelay(3000)));
        PrometheusMetricsProvider impatient = provider(prometheus.baseUrl(), Duration.ofMillis(300));

        long start = System.nanoTime();
        Observation o = impatient.observe(GREEN);

        assertThat(o).isInstanceOf(Observation.Unreachable.class);
        assertThat(((Observation.Unreachable) o).why()).contains("did not answer within 300ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void refusedConnectionIsUnreachableAndNamesNoCredentials() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Observation o = provider("http://scraper:s3cret@127.0.0.1:" + port, Duration.ofSeconds(1)).observe(GREEN);

        assertThat(o).isInstanceOf(Observation.Unreachable.class);
        assertThat(((Observation.Unreachable) o).why()).contains("127.0.0.1:" + port).doesNotContain("s3cret");
    }

    @Test
    void aMaliciousVersionStaysInsideItsStringLiteral() {
        String evil = "2.0.0\"} or vector(1e9) or {x=\"\\";
        String escaped = "sum(bot_requests_total{namespace=\"bots\",slot=\"b\",version=\"2.0.0\\\"} or vector(1e9)"
                + " or {x=\\\"\\\\\"})";
        answer(escaped, vector("3"));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query",
                equalTo(escaped.replace("bot_requests_total", "bot_handler_errors_total"))).willReturn(okJson(EMPTY)));

        Observation o = provider(prometheus.baseUrl(), Duration.ofSeconds(15))
                .observe(new MetricsTarget(Slot.B, evil));

        assertThat(o).isEqualTo(new Observation.Measured(new Counts(3, 0)));
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(escaped)));
    }

    @Test
    void templatesFillEveryPlaceholderAndRefuseUnsafeOnes() {
        Map<String, String> values = Map.of("app", "sentiment-bot", "window", "30s", "version", "it's");
        assertThat(PromQlTemplate.render("sum(increase(x{app='{{app}}',v='{{version}}'}[{{window}}]))", values, "f"))
                .isEqualTo("sum(increase(x{app='sentiment-bot',v='it\\'s'}[30s]))");
        assertThat(PromQlTemplate.render("x{v=\"a\\\"{{version}}\"}", values, "f")).isEqualTo("x{v=\"a\\\"it's\"}");
        assertThatThrownBy(() -> PromQlTemplate.render("x[{{version}}]", values, "analysis.prometheus.requestsQuery"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("analysis.prometheus.requestsQuery");
        assertThatThrownBy(() -> PromQlTemplate.render("x{a=\"{{pod}}\"}", values, "f"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{{pod}}");
    }
}
