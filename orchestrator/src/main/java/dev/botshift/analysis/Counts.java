package dev.botshift.analysis;

/** Requests and errors (HTTP 5xx plus errors the bot reported while answering 200), cumulative or per window. */
public record Counts(long requests, long errors) {
    public static final Counts ZERO = new Counts(0, 0);

    public double errorRate() {
        return requests == 0 ? 0.0 : (double) errors / requests;
    }

    /** The window between two cumulative readings; a counter reset (restarted process) counts from zero. */
    public Counts since(Counts earlier) {
        if (earlier == null || requests < earlier.requests || errors < earlier.errors) {
            return this;
        }
        return new Counts(requests - earlier.requests, errors - earlier.errors);
    }

    public Counts plus(Counts other) {
        return new Counts(requests + other.requests, errors + other.errors);
    }
}
