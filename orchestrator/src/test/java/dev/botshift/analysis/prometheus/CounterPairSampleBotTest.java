package dev.botshift.analysis.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.CheckMemory;
import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.CheckResult;
import dev.botshift.analysis.Checks;
import dev.botshift.analysis.ChecksSeen;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Ratio;
import dev.botshift.analysis.Verdict;
import dev.botshift.analysis.scrape.CounterPairProvider;
import dev.botshift.core.Slot;
import dev.botshift.testing.Slow;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A custom check's counter pair read from the real sample bot's {@code /metrics} (a process, on embedded PostgreSQL):
 * {@code bot_handler_errors_total} over {@code bot_requests_total}, the ratio the bot itself counted, judged over a
 * window. Slow: a bot process and a database.
 */
@Slow
class CounterPairSampleBotTest {
    private static final MetricCheck FAILURES = new MetricCheck("handler-failures",
            new MetricCheck.Source.Counters("bot_handler_errors_total", "bot_requests_total"), 0.05, null, null, false);

    @Test
    void theSampleBotsFailuresOverItsRequestsFailAGreenThatFailsOneUpdateInThree() throws Exception {
        try (SampleBots bots = new SampleBots()) {
            bots.start(Slot.B, "1.1.0", 0.3);
            bots.awaitHealthy(Slot.B);
            URI green = URI.create("http://127.0.0.1:" + bots.port(Slot.B));
            CounterPairProvider provider = new CounterPairProvider(slot -> List.of(green), Duration.ofSeconds(5));
            MetricsTarget target = new MetricsTarget(Slot.B, "1.1.0");

            CheckReading before = provider.read(FAILURES, target);
            assertThat(before).isEqualTo(new CheckReading.Counted(new Ratio(0, 0)));
            Checks.Outcome opened = Checks.judge(List.of(FAILURES), new ChecksSeen(Map.of(FAILURES.name(), before),
                    Map.of(), null), CheckMemory.EMPTY, 50);

            int failed = bots.send(Slot.B, 1, 200);
            CheckReading after = provider.read(FAILURES, target);

            assertThat(after).isEqualTo(new CheckReading.Counted(new Ratio(
                    bots.sampleSum(Slot.B, "bot_handler_errors_total"), bots.sampleSum(Slot.B, "bot_requests_total"))));
            assertThat(((CheckReading.Counted) after).cumulative().denominator()).isEqualTo(200);
            Checks.Outcome judged = Checks.judge(List.of(FAILURES), new ChecksSeen(Map.of(FAILURES.name(), after),
                    Map.of(), null), opened.memory(), 50);
            CheckResult r = judged.results().get(0);
            assertThat(failed).as("about one in three fail").isBetween(30, 100);
            assertThat(r.verdict()).isEqualTo(Verdict.Kind.FAIL);
            assertThat(r.sample()).isEqualTo(200L);
            assertThat(r.reason()).startsWith("green " + String.format(java.util.Locale.ROOT, "%.1f%%", failed / 2.0)
                    + " (" + failed + " bot_handler_errors_total of 200 bot_requests_total), limit max 5.0%");
        }
    }
}
