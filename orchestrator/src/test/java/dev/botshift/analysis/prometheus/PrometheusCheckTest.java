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
import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.UnreachableException;
import dev.botshift.core.Slot;
import dev.botshift.plan.AnalysisSpec.PrometheusSpec;
import dev.botshift.plan.MetricCheckSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A custom check's PromQL ({@code analysis.metrics[].query}) against an in-process Prometheus API (WireMock). */
class PrometheusCheckTest {
    private static final String TEMPLATE = "sum(rate(bot_send_failures_total{namespace=\"{{namespace}}\","
            + "slot=\"{{slot}}\",version=\"{{version}}\"}[{{window}}]))";
    private static final String GREEN_QUERY =
            "sum(rate(bot_send_failures_total{namespace=\"bots\",slot=\"b\",version=\"2.0.0\"}[30s]))";
    private static final MetricCheck CHECK = new MetricCheck("send-failures", new MetricCheck.Source.Query(TEMPLATE),
            0.5, null, null, false);
    private static final MetricsTarget GREEN = new MetricsTarget(Slot.B, "2.0.0");
    /** An in-process Prometheus API, emptied before each test. */
    @RegisterExtension
    static final WireMockExtension prometheus = WireMockExtension.newInstance()
            .options(options().dynamicPort()).build();

    private static PrometheusMetricsProvider provider(List<MetricCheckSpec> checks) {
        return new PrometheusMetricsProvider(new PrometheusSpec(prometheus.baseUrl(), null, null,
                Duration.ofSeconds(5), false), new PrometheusMetricsProvider.Scope("sentiment-bot", "bots",
                Duration.ofSeconds(30)), checks);
    }

    private static void answer(String body) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(GREEN_QUERY))
                .willReturn(okJson(body)));
    }

    @Test
    void theTemplateIsRenderedForTheColourAndTheValueRead() {
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1767261600.1,\"0.125\"]}]}}");

        assertThat(provider(List.of()).read(CHECK, GREEN)).isEqualTo(new CheckReading.Value(0.125));
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", equalTo(GREEN_QUERY)));
    }

    @Test
    void aScalarAnswerIsAValueToo() {
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1767261600.1,\"3\"]}}");

        assertThat(provider(List.of()).read(CHECK, GREEN)).isEqualTo(new CheckReading.Value(3));
    }

    @Test
    void noSeriesOrNaNIsNoDataNamingTheCheck() {
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(provider(List.of()).read(CHECK, GREEN)).isInstanceOfSatisfying(CheckReading.NoData.class,
                n -> assertThat(n.why()).contains("send-failures").contains("2.0.0"));

        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1767261600.1,\"NaN\"]}]}}");
        assertThat(provider(List.of()).read(CHECK, GREEN)).isInstanceOf(CheckReading.NoData.class);
    }

    @Test
    void aQueryPrometheusRefusesIsUnreachableWithItsMessageItsFieldAndTheQueryAsSent() {
        refuseEveryQuery();

        MetricCheckSpec other = new MetricCheckSpec("other", "sum(x)", null, 1.0, null, null, false);
        MetricCheckSpec spec = new MetricCheckSpec(CHECK.name(), TEMPLATE, null, 0.5, null, null, false);
        // named as the plan validator and the preflight name it: by its place in the plan's list
        assertThat(provider(List.of(other, spec)).read(CHECK, GREEN)).isInstanceOfSatisfying(
                CheckReading.Unreachable.class, u -> assertThat(u.why()).contains("bad_data").contains("parse error")
                        .contains("analysis.metrics[1].query").contains("as sent: " + GREEN_QUERY));
    }

    @Test
    void thePreflightRefusesAQueryPrometheusCannotParseNamingItsField() {
        MetricCheckSpec fine = new MetricCheckSpec("fine", TEMPLATE, null, 1.0, null, null, false);
        MetricCheckSpec broken = new MetricCheckSpec("broken", "sum(rate(bot_x_total{slot=\"{{slot}}\"}))", null, 1.0,
                null, null, false);
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", equalTo("sum(rate(bot_x_total{slot=\"b\"}))"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:10: parse error:"
                                + " ranges only allowed for vector selectors\"}")));

        PrometheusMetricsProvider provider = provider(List.of(fine, broken));
        assertThatThrownBy(() -> provider.checkQueries(GREEN)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("analysis.metrics[1].query: Prometheus at " + prometheus.baseUrl()
                        + " refused the query (HTTP 400, bad_data: 1:10: parse error")
                .hasMessageContaining("as sent: sum(rate(bot_x_total{slot=\"b\"}))");
        // the plan's queries in its order, up to the refused one: requests, errors, the fine check, the broken one
        prometheus.verify(4, getRequestedFor(urlPathEqualTo("/api/v1/query")));

        prometheus.resetAll();
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
        provider.checkQueries(GREEN); // every query parsed (no data yet is fine before a rollout)
        prometheus.verify(4, getRequestedFor(urlPathEqualTo("/api/v1/query")));
    }

    @Test
    void thePreflightCallsAServerErrorUnreachableNotTheQuerysFault() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"TSDB not ready\"}")));

        assertThatThrownBy(() -> provider(List.of()).checkQueries(GREEN)).isInstanceOf(UnreachableException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("TSDB not ready");
    }

    private static void refuseEveryQuery() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"error\",\"errorType\":"
                        + "\"bad_data\",\"error\":\"1:6: parse error: unexpected identifier\"}")));
    }

    @Test
    void aServerErrorIsUnreachable() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(503)));

        assertThat(provider(List.of()).read(CHECK, GREEN)).isInstanceOf(CheckReading.Unreachable.class);
    }

    @Test
    void aBadTemplateIsRefusedWhenTheProviderIsBuiltNamingTheCheckField() {
        MetricCheckSpec ok = new MetricCheckSpec("fine", TEMPLATE, null, 1.0, null, null, false);
        MetricCheckSpec unknown = new MetricCheckSpec("bad", "sum(x{pod=\"{{pod}}\"})", null, 1.0, null, null, false);

        assertThatThrownBy(() -> provider(List.of(ok, unknown))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("analysis.metrics[1].query").hasMessageContaining("unknown placeholder {{pod}}");
    }
}
