package dev.botshift.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * One entry of {@code analysis.metrics}: a named check on green, measured by a PromQL query (with provider
 * {@code prometheus}) or by a pair of counters from the bots' {@code /metrics} (local platform), judged against
 * absolute limits or against blue. docs/plan-file.md and docs/rollout.md ("Custom checks") say how it is judged.
 *
 * @param name                    unique among the checks; shown in {@code status} and in the verdict's reason
 * @param query                   a PromQL template returning one number per colour, with the placeholders of the
 *                                other Prometheus queries; exactly one of {@code query} and {@code counter}
 * @param counter                 the bots' counters whose increases' ratio is the value
 * @param max                     green fails above this (absolute, in the metric's own unit; {@code 5%} is 0.05)
 * @param min                     green fails below this
 * @param maxIncreaseOverBaseline green fails above blue's value plus this (same unit as the value)
 * @param dryRun                  judged and recorded, never acting on the rollout (Argo Rollouts' {@code dryRun})
 */
public record MetricCheckSpec(
        String name,
        String query,
        CounterSpec counter,
        @JsonDeserialize(using = OptionalNumberDeserializer.class) Double max,
        @JsonDeserialize(using = OptionalNumberDeserializer.class) Double min,
        @JsonDeserialize(using = OptionalNumberDeserializer.class) Double maxIncreaseOverBaseline,
        boolean dryRun) {

    /**
     * Two counters a bot exposes in its {@code /metrics}, each summed over all its series and the colour's instances.
     *
     * @param numerator   e.g. {@code bot_handler_errors_total}
     * @param denominator e.g. {@code bot_requests_total}: also the check's sample size
     */
    public record CounterSpec(String numerator, String denominator) {
    }
}
