package dev.botshift.analysis;

/**
 * The metrics seam: cumulative requests and errors of one colour's instances. Providers are stateless about the
 * rollout (Flagger's habit): the caller says which instances and which version each query is about.
 */
public interface MetricsProvider {

    Observation observe(MetricsTarget target);

    /**
     * Whether a reading at any moment is current and cheap (the router's own counters, the bots' {@code /metrics}):
     * then the rollout also looks between its ticks and ends an interval early once green's evidence already decides
     * a rollback. Not for Prometheus, whose series move once per scrape.
     */
    default boolean live() {
        return false;
    }
}
