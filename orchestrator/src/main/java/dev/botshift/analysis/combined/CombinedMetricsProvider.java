package dev.botshift.analysis.combined;

import dev.botshift.analysis.router.RouterMetricsProvider;
import dev.botshift.analysis.scrape.BotMetricsProvider;
import dev.botshift.analysis.scrape.BotReading;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;

/**
 * The {@code combined} provider: requests as the router counted them; errors = the router's 5xx plus the bots'
 * {@code bot_handler_errors_total{answered="2xx"}}.
 *
 * <p>Why this split: chat bots usually answer 200 even when their handler failed (a non-2xx makes the platform
 * retry), so the router alone under-reports errors. The bot's other handler errors were answered with a 5xx and
 * are already in the router's count, so adding all of {@code bot_handler_errors_total} would count them twice;
 * only the ones hidden behind a 200 are added. Requests come from the router alone because it also counts what
 * never reached a bot (its own 502 for an unreachable backend), which the bots' counters cannot.
 *
 * <p>If either source cannot be read, the answer is that source's NoData or Unreachable: a half-measured error
 * rate would look healthier than it is.
 */
public final class CombinedMetricsProvider implements MetricsProvider {
    private final RouterMetricsProvider router;
    private final BotMetricsProvider bots;

    public CombinedMetricsProvider(RouterMetricsProvider router, BotMetricsProvider bots) {
        this.router = router;
        this.bots = bots;
    }

    @Override
    public Observation observe(MetricsTarget target) {
        Observation fromRouter = router.observe(target);
        if (!(fromRouter instanceof Observation.Measured measured)) {
            return fromRouter;
        }
        BotReading reading = bots.read(target);
        if (reading instanceof BotReading.Counted counted) {
            return new Observation.Measured(new Counts(
                    measured.counts().requests(),
                    measured.counts().errors() + counted.counters().answeredOkErrors()));
        }
        if (reading instanceof BotReading.NoData noData) {
            return new Observation.NoData("bot metrics: " + noData.why());
        }
        return new Observation.Unreachable("bot metrics: " + ((BotReading.Unreachable) reading).why());
    }
}
