package dev.botshift.analysis.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.BotStub;
import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Ratio;
import dev.botshift.core.Slot;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A counter pair summed over a colour's instances, each a real HTTP server exposing the client library's text. */
class CounterPairProviderTest {
    private static final MetricCheck HIDDEN = new MetricCheck("handler-failures",
            new MetricCheck.Source.Counters("bot_handler_errors_total", "bot_requests_total"), 0.05, null, null, false);
    private static final MetricsTarget GREEN = new MetricsTarget(Slot.B, "2.0.0");

    private static CounterPairProvider provider(List<URI> green) {
        return new CounterPairProvider(slot -> slot == Slot.B ? green : List.of(), Duration.ofSeconds(2));
    }

    @Test
    void bothCountersAreSummedOverTheirSeriesAndTheColoursInstances() {
        try (BotStub one = new BotStub(); BotStub two = new BotStub()) {
            one.handle(30);
            one.mode(BotStub.Mode.HIDDEN_ERROR).handle(4);
            two.mode(BotStub.Mode.ERROR).handle(6);
            two.mode(BotStub.Mode.OK).handle(60);

            assertThat(provider(List.of(one.uri(), two.uri())).read(HIDDEN, GREEN))
                    .isEqualTo(new CheckReading.Counted(new Ratio(10, 100)));
        }
    }

    @Test
    void aNumeratorNotExposedYetIsZeroButNoDenominatorIsNoData() {
        try (BotStub bot = new BotStub()) {
            bot.metricsText("# TYPE bot_requests_total counter\nbot_requests_total{outcome=\"ok\"} 12\n");
            assertThat(provider(List.of(bot.uri())).read(HIDDEN, GREEN))
                    .isEqualTo(new CheckReading.Counted(new Ratio(0, 12)));

            bot.metricsText("# TYPE other_total counter\nother_total 3\n");
            assertThat(provider(List.of(bot.uri())).read(HIDDEN, GREEN)).isInstanceOfSatisfying(
                    CheckReading.NoData.class, n -> assertThat(n.why()).isEqualTo(
                            "no instance of 2.0.0 exposes bot_requests_total"));
        }
        assertThat(provider(List.of()).read(HIDDEN, GREEN)).isInstanceOf(CheckReading.NoData.class);
    }

    @Test
    void oneInstanceNotAnsweringMakesTheReadingUnreachableNotASmallerSum() {
        URI gone;
        try (BotStub stopped = new BotStub()) {
            gone = stopped.uri();
        }
        try (BotStub bot = new BotStub()) {
            bot.handle(50);

            assertThat(provider(List.of(bot.uri(), gone)).read(HIDDEN, GREEN)).isInstanceOfSatisfying(
                    CheckReading.Unreachable.class, u -> assertThat(u.why()).startsWith("1 of 2 instances of 2.0.0"
                            + " did not answer: " + gone.resolve("/metrics")));
        }
    }
}
