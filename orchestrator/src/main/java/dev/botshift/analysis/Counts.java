package dev.botshift.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Requests and errors (HTTP 5xx plus errors the bot reported while answering 200), cumulative or per window, and
 * the requests' latencies when the provider measures them.
 *
 * @param latency null when the provider has no latency histogram (the bots' counters, Prometheus without a
 *                latency query)
 */
public record Counts(long requests, long errors, @JsonInclude(JsonInclude.Include.NON_NULL) Latencies latency) {
    public static final Counts ZERO = new Counts(0, 0);

    public Counts(long requests, long errors) {
        this(requests, errors, null);
    }

    public double errorRate() {
        return requests == 0 ? 0.0 : (double) errors / requests;
    }

    /** The window between two cumulative readings; a counter reset (restarted process) counts from zero. */
    public Counts since(Counts earlier) {
        if (earlier == null || requests < earlier.requests || errors < earlier.errors) {
            return this;
        }
        return new Counts(requests - earlier.requests, errors - earlier.errors,
                latency == null ? null : latency.since(earlier.latency));
    }

    public Counts plus(Counts other) {
        return new Counts(requests + other.requests, errors + other.errors,
                latency == null ? other.latency : latency.plus(other.latency));
    }

    /** The same counts with the latencies measured by another source. */
    public Counts withLatency(Latencies measured) {
        return new Counts(requests, errors, measured);
    }
}
