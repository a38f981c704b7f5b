package dev.botshift.analysis;

/**
 * The custom checks' seam ({@code analysis.metrics}): one check's reading for one colour. Stateless (Flagger's
 * {@code RunQuery}): the caller passes the check and which instances and version it is about, and keeps the earlier
 * readings itself.
 */
public interface CheckProvider {
    /** For platforms and tests without custom checks: every check has no data. */
    CheckProvider NONE = (check, target) -> new CheckReading.NoData("no provider measures check '" + check.name() + "'");

    CheckReading read(MetricCheck check, MetricsTarget target);
}
