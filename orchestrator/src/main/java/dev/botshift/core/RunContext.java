package dev.botshift.core;

/** Who is rolling out what: carried into every port call and log line (the MDC keys {@code app}, {@code release}, {@code run}). */
public record RunContext(String app, String release, String runId) {
    @Override
    public String toString() {
        return app + "@" + release + " run " + runId;
    }
}
