package dev.botshift.analysis.combined;

import dev.botshift.analysis.router.RouterMetricsProvider;
import dev.botshift.analysis.scrape.BotMetricsProvider;
import dev.botshift.analysis.scrape.BotReading;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import java.util.Map;
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
 * <p>If the router cannot be read, or the bots answer without counters yet (no data), that is the answer: a
 * half-measured error rate would look healthier than it is. When the bots cannot be reached (an overloaded green
 * whose {@code /metrics} times out, a bot restarting), the router's counts are the answer with the bots' errors as
 * last read, marked incomplete ({@link Observation.Measured#missing}): a lower bound that can fail green (a release
 * slowed down or erring until its bots no longer answer {@code /metrics} was paused for a human instead of rolled
 * back) but never pass it. The bots' errors as last read keep the counts cumulative: the ones missed now land in
 * the next window that reads them. The one exception is a bot that serves no counters at all (its {@code /metrics}
 * answers 404 or lacks {@code bot_requests_total}): waiting would never help, so the router's counts are the answer,
 * with one warning per version.
 */
public final class CombinedMetricsProvider implements MetricsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(CombinedMetricsProvider.class);

    private final RouterMetricsProvider router;
    private final BotMetricsProvider bots;
    private final Consumer<String> warnings;
    /** Versions already warned about: one warning per version and run, not one per interval. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** The bots' errors behind a 200 as last read, per colour and version: what an unreachable read stands in with. */
    private final Map<MetricsTarget, Long> lastOkErrors = new ConcurrentHashMap<>();

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
            lastOkErrors.put(target, counted.counters().answeredOkErrors());
            return withBotErrors(measured, counted.counters().answeredOkErrors(), null);
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
        return withBotErrors(measured, lastOkErrors.getOrDefault(target, 0L),
                "bot metrics: " + ((BotReading.Unreachable) reading).why());
    }

    private static Observation.Measured withBotErrors(Observation.Measured router, long okErrors, String missing) {
        Counts c = router.counts();
        return new Observation.Measured(new Counts(c.requests(), c.errors() + okErrors, c.latency()), missing);
    }
}
