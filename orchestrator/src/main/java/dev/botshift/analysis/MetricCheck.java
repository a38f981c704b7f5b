package dev.botshift.analysis;

/**
 * One custom check ({@code analysis.metrics}), as the judge and the providers need it.
 *
 * @param name                    unique among the checks
 * @param source                  what measures it
 * @param max                     green fails above this; null: no absolute upper limit
 * @param min                     green fails below this; null: no lower limit
 * @param maxIncreaseOverBaseline green fails above blue's value plus this (the metric's own unit); null: not
 *                                compared with blue
 * @param dryRun                  judged and recorded, never counted in the interval's verdict
 */
public record MetricCheck(String name, Source source, Double max, Double min, Double maxIncreaseOverBaseline,
                          boolean dryRun) {

    /** What measures a check: a closed set, one provider each. */
    public sealed interface Source {
        /** A PromQL template answering one number per colour (Prometheus). */
        record Query(String template) implements Source { }

        /** The ratio of two counters' increases, scraped from the bots' {@code /metrics} (local platform). */
        record Counters(String numerator, String denominator) implements Source { }
    }

    /** Whether blue is read too: the check compares green with it. */
    public boolean relative() {
        return maxIncreaseOverBaseline != null;
    }
}
