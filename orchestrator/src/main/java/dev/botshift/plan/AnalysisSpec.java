package dev.botshift.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the judge watches and when it fails a release.
 *
 * @param provider                {@code router} (what the router saw), {@code bot-metrics} (the bots' /metrics),
 *                                {@code combined} (both) or {@code prometheus}
 * @param interval                one verdict per interval
 * @param maxErrorRate            green fails above this error rate (0..1)
 * @param maxIncreaseOverBaseline green fails above blue's rate plus this (0..1)
 * @param minRequests             fewer green requests in an interval give an inconclusive verdict, never a failed one
 * @param failureLimit            consecutive failed verdicts that roll back
 * @param cumulativeFailureLimit  failed verdicts in the whole rollout that roll back
 * @param inconclusiveLimit       consecutive inconclusive (or provider error) verdicts that pause for a human
 * @param maxStepDuration         a step whose traffic is too thin to reach {@code minRequests} green requests waits
 *                                for them (the window grows) up to this long, then pauses for a human
 * @param prometheus              prometheus provider settings; null otherwise
 * @param postContract            how long green is still judged after the contract (default 30s; 0s: not at all).
 *                                A failure then cannot roll back and ends the rollout FAILED (exit 7), never SUCCEEDED
 * @param latency                 green's latency limits; null: latency is not judged
 * @param metrics                 the plan's custom checks ({@code analysis.metrics}), in the plan's order; empty when none
 */
public record AnalysisSpec(
        String provider,
        Duration interval,
        @JsonDeserialize(using = PercentDeserializer.class) double maxErrorRate,
        @JsonDeserialize(using = PercentDeserializer.class) double maxIncreaseOverBaseline,
        int minRequests,
        int failureLimit,
        int cumulativeFailureLimit,
        int inconclusiveLimit,
        Duration maxStepDuration,
        PrometheusSpec prometheus,
        Duration postContract,
        LatencySpec latency,
        List<MetricCheckSpec> metrics) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public AnalysisSpec {
        postContract = postContract == null ? Duration.ZERO : postContract;
        // a list with a null element (YAML "- ") is the validator's to report, so not List.copyOf
        metrics = metrics == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(metrics));
    }

    /** Without custom checks. */
    public AnalysisSpec(String provider, Duration interval, double maxErrorRate, double maxIncreaseOverBaseline,
                        int minRequests, int failureLimit, int cumulativeFailureLimit, int inconclusiveLimit,
                        Duration maxStepDuration, PrometheusSpec prometheus, Duration postContract, LatencySpec latency) {
        this(provider, interval, maxErrorRate, maxIncreaseOverBaseline, minRequests, failureLimit,
                cumulativeFailureLimit, inconclusiveLimit, maxStepDuration, prometheus, postContract, latency, List.of());
    }

    /** Without latency limits. */
    public AnalysisSpec(String provider, Duration interval, double maxErrorRate, double maxIncreaseOverBaseline,
                        int minRequests, int failureLimit, int cumulativeFailureLimit, int inconclusiveLimit,
                        Duration maxStepDuration, PrometheusSpec prometheus, Duration postContract) {
        this(provider, interval, maxErrorRate, maxIncreaseOverBaseline, minRequests, failureLimit,
                cumulativeFailureLimit, inconclusiveLimit, maxStepDuration, prometheus, postContract, null, List.of());
    }

    /** Without a post-contract watch (tests and code that build a plan by hand). */
    public AnalysisSpec(String provider, Duration interval, double maxErrorRate, double maxIncreaseOverBaseline,
                        int minRequests, int failureLimit, int cumulativeFailureLimit, int inconclusiveLimit,
                        Duration maxStepDuration, PrometheusSpec prometheus) {
        this(provider, interval, maxErrorRate, maxIncreaseOverBaseline, minRequests, failureLimit,
                cumulativeFailureLimit, inconclusiveLimit, maxStepDuration, prometheus, Duration.ZERO, null, List.of());
    }

    /**
     * {@code analysis.latency}: green's 99th percentile against an absolute limit, against blue's, or both (the lower
     * limit applies). Judged on the same interval and sample rule as errors (docs/analysis.md).
     *
     * @param p99Max                  green fails when its p99 is above this; null: no absolute limit
     * @param maxIncreaseOverBaseline green fails when its p99 is above blue's by more than this share ({@code 20%});
     *                                null: no relative limit
     */
    public record LatencySpec(Duration p99Max,
                              @JsonDeserialize(using = OptionalPercentDeserializer.class) Double maxIncreaseOverBaseline) {
    }

    /** What the Botshift router saw: requests and 5xx per colour. */
    public static final String ROUTER = "router";
    /** The bots' own counters, scraped from their {@code /metrics}. */
    public static final String BOT_METRICS = "bot-metrics";
    /** The router's requests and 5xx plus the errors the bots answered with 200: the local default. */
    public static final String COMBINED = "combined";
    public static final String PROMETHEUS = "prometheus";
    /** The accepted {@code provider} names. */
    public static final List<String> PROVIDERS = List.of(ROUTER, BOT_METRICS, COMBINED, PROMETHEUS);

    /**
     * @param url            base URL of the Prometheus HTTP API
     * @param requestsQuery  PromQL template for requests in the window: placeholders {@code {{slot}} {{version}}
     *                       {{namespace}} {{app}} {{window}}}
     * @param errorsQuery    PromQL template for errors in the window, same placeholders
     * @param timeout        per query
     * @param insecureSkipTlsVerify off by default
     * @param latencyQuery   with {@code analysis.latency}: PromQL template for a latency histogram's cumulative
     *                       buckets, one series per {@code le} label (e.g. {@code sum by (le) (…_bucket{…})}); same
     *                       placeholders
     */
    public record PrometheusSpec(String url, String requestsQuery, String errorsQuery, Duration timeout,
                                 boolean insecureSkipTlsVerify, String latencyQuery) {

        public PrometheusSpec(String url, String requestsQuery, String errorsQuery, Duration timeout,
                              boolean insecureSkipTlsVerify) {
            this(url, requestsQuery, errorsQuery, timeout, insecureSkipTlsVerify, null);
        }
    }
}
