package dev.botshift.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.BotStub;
import dev.botshift.analysis.CheckProvider;
import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Ratio;
import dev.botshift.core.Slot;
import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.Approval;
import dev.botshift.plan.MetricCheckSpec;
import dev.botshift.plan.Plan;
import dev.botshift.testing.TestPlans;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A check's source picks its reader: a counter pair the bots' /metrics, a query Prometheus; nothing else. */
class CheckProvidersTest {
    private static final MetricCheckSpec PAIR = new MetricCheckSpec("hidden", null,
            new MetricCheckSpec.CounterSpec("bot_handler_errors_total", "bot_requests_total"), 0.05, null, null, false);

    private static Plan with(List<MetricCheckSpec> checks) {
        Plan p = TestPlans.plan("bot", "2.0.0", Approval.NONE);
        AnalysisSpec a = p.analysis();
        AnalysisSpec analysis = new AnalysisSpec(a.provider(), a.interval(), a.maxErrorRate(),
                a.maxIncreaseOverBaseline(), a.minRequests(), a.failureLimit(), a.cumulativeFailureLimit(),
                a.inconclusiveLimit(), a.maxStepDuration(), a.prometheus(), a.postContract(), a.latency(), checks);
        return new Plan(p.name(), p.release(), p.database(), p.workload(), p.traffic(), analysis, p.bake(),
                p.approval(), p.notifications(), p.source());
    }

    @Test
    void aCounterPairIsReadFromTheColoursBots() {
        try (BotStub bot = new BotStub()) {
            bot.handle(40);
            bot.mode(BotStub.Mode.HIDDEN_ERROR).handle(10);
            CheckProvider provider = CheckProviders.of(with(List.of(PAIR)),
                    slot -> slot == Slot.B ? List.of(bot.uri()) : List.of());
            MetricCheck check = new MetricCheck("hidden", new MetricCheck.Source.Counters("bot_handler_errors_total",
                    "bot_requests_total"), 0.05, null, null, false);

            assertThat(provider.read(check, new MetricsTarget(Slot.B, "2.0.0")))
                    .isEqualTo(new CheckReading.Counted(new Ratio(10, 50)));
        }
    }

    @Test
    void withoutChecksNothingIsBuiltAndWhereBotsCannotBeScrapedACounterHasNoData() {
        assertThat(CheckProviders.of(with(List.of()), slot -> List.of())).isSameAs(CheckProvider.NONE);

        CheckProvider cluster = CheckProviders.of(with(List.of(PAIR)), null);
        MetricCheck check = new MetricCheck("hidden", new MetricCheck.Source.Counters("a", "b"), 1.0, null, null,
                false);
        assertThat(cluster.read(check, new MetricsTarget(Slot.B, "2.0.0")))
                .isInstanceOf(CheckReading.NoData.class);
    }
}
