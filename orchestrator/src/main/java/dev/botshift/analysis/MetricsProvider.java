package dev.botshift.analysis;

/**
 * The metrics seam: cumulative requests and errors of one colour's instances. Providers are stateless about the
 * rollout (Flagger's habit): the caller says which instances and which version each query is about.
 */
public interface MetricsProvider {

    Observation observe(MetricsTarget target);
}
