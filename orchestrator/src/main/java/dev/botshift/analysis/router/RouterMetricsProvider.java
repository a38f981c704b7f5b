package dev.botshift.analysis.router;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.core.UnreachableException;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.RouterStats;

/**
 * The {@code router} metrics provider: what the Botshift router itself saw, i.e. requests, HTTP 5xx and latencies
 * per colour (including the router's own 502/504 for a backend it could not reach). Blind to errors a bot answers with 200;
 * {@link dev.botshift.analysis.combined.CombinedMetricsProvider} adds those.
 *
 * <p>Requests the router refused (failed webhook verification) never reach a colour's counts; routed requests that
 * were not a valid update count only when the colour failed them with a 5xx
 * ({@link RouterStats.SlotStats#judgedRequests()}), so forged or malformed traffic answered 4xx cannot dilute a
 * colour's error rate.
 */
public final class RouterMetricsProvider implements MetricsProvider {
    private final BotshiftRouterClient router;

    public RouterMetricsProvider(BotshiftRouterClient router) {
        this.router = router;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public Observation observe(MetricsTarget target) {
        RouterStats stats;
        try {
            stats = router.stats();
        } catch (UnreachableException e) {
            return new Observation.Unreachable(e.getMessage());
        }
        RouterStats.SlotStats seen = stats.of(target.slot());
        if (seen.judgedRequests() == 0) {
            // Like a Prometheus series that was never incremented: zero requests is "nothing to judge yet".
            return new Observation.NoData("the router has not routed any valid update to " + target.version() + " yet");
        }
        return new Observation.Measured(new Counts(seen.judgedRequests(), seen.serverErrors(), seen.latency()));
    }
}
