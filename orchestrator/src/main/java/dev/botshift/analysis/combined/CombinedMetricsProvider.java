package dev.botshift.analysis.combined;

import dev.botshift.analysis.router.RouterMetricsProvider;
import dev.botshift.analysis.scrape.BotMetricsProvider;
import dev.botshift.analysis.scrape.BotReading;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code combined} provider: requests and latencies as the router measured them; errors = the router's 5xx plus
 * the bots' {@code bot_handler_errors_total{answered="2xx"}}.
 *
 * <p>Why this split: chat bots usually answer 200 even when their handler failed (a non-2xx makes the platform
 * retry), so the router alone under-reports errors. The bot's other handler errors were answered with a 5xx and
 * are already in the router's count, so adding all of {@code bot_handler_errors_total} would count them twice;
 * only the ones hidden behind a 200 are added. Requests come from the router alone because it also counts what
 * never reached a bot (its own 502 for an unreachable backend), which the bots' counters cannot.
 *
 * <p>If either source cannot be read, the answer is that source's NoData or Unreachable: a half-measured error
 * rate would look healthier than it is. The one exception is a bot that serves no counters at all (its
 * {@code /metrics} answers 404 or lacks {@code bot_requests_total}): waiting would never help, so the router's
 * counts are the answer, with one warning per version.
 */
public final class CombinedMetricsProvider implements MetricsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(CombinedMetricsProvider.class);

    private final RouterMetricsProvider router;
    private final BotMetricsProvider bots;
    private final Consumer<String> warnings;
    /** Versions already warned about: one warning per version and run, not one per interval. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public CombinedMetricsProvider(RouterMetricsProvider router, BotMetricsProvider bots) {
        this(router, bots, LOG::warn);
    }

    /** @param warnings told once per version when its bots serve no {@code /metrics} and the router alone judges */
    public CombinedMetricsProvider(RouterMetricsProvider router, BotMetricsProvider bots, Consumer<String> warnings) {
        this.router = router;
        this.bots = bots;
        this.warnings = warnings;
    }

    @Override
    public boolean live() {
        return true;
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
                    measured.counts().errors() + counted.counters().answeredOkErrors(),
                    measured.counts().latency()));
        }
        if (reading instanceof BotReading.NotExposed none) {
            // a bot without /metrics (docs/bot-contract.md): waiting for its counters would pause every rollout
            if (warned.add(target.version())) {
                warnings.accept("warning: " + target.version() + " serves no bot metrics (" + none.url() + " "
                        + none.why() + "): judging it by the router's signals only (HTTP 5xx); handler errors it "
                        + "answers with 200 go unseen. Set analysis.provider: router to silence this.");
            }
            return fromRouter;
        }
        if (reading instanceof BotReading.NoData noData) {
            return new Observation.NoData("bot metrics: " + noData.why());
        }
        return new Observation.Unreachable("bot metrics: " + ((BotReading.Unreachable) reading).why());
    }
}
