package dev.botshift.platform;

import dev.botshift.analysis.CheckProvider;
import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.scrape.CounterPairProvider;
import dev.botshift.core.Slot;
import dev.botshift.plan.Plan;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The one place a custom check's source becomes the adapter that reads it: a query goes to Prometheus, a counter
 * pair to the bots' {@code /metrics}. The plan's rules ({@code MetricChecksValidator}) already refused a source the
 * platform cannot read, so "no provider" here is a reading without data, never a silent pass.
 */
final class CheckProviders {
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

    private CheckProviders() {
    }

    /** @param instances a colour's bots, for counter pairs; null where they cannot be scraped (Kubernetes) */
    static CheckProvider of(Plan plan, Function<Slot, List<URI>> instances) {
        if (plan.analysis().metrics().isEmpty()) {
            return CheckProvider.NONE;
        }
        boolean queries = plan.analysis().metrics().stream().anyMatch(c -> c.query() != null);
        CheckProvider prometheus = queries ? KubernetesPlatform.prometheus(plan) : null;
        CheckProvider counters = instances == null ? null : new CounterPairProvider(instances, SCRAPE_TIMEOUT);
        return (check, target) -> {
            CheckProvider provider = check.source() instanceof MetricCheck.Source.Query ? prometheus : counters;
            return provider == null
                    ? new CheckReading.NoData("nothing on this platform reads check '" + check.name() + "'")
                    : provider.read(check, target);
        };
    }
}
