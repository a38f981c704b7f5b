package dev.botshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.CheckResult;
import dev.botshift.analysis.Checks;
import dev.botshift.analysis.ChecksSeen;
import dev.botshift.analysis.Restarts;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.JudgeSettings;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.Observation;
import dev.botshift.analysis.RestartReading;
import dev.botshift.analysis.Verdict;
import dev.botshift.core.Split;
import dev.botshift.plan.Approval;
import dev.botshift.traffic.WeightCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The decider with custom checks and green's pods: a failing check rolls back, a dry run never acts, no data waits. */
class DeciderChecksTest {
    private static final MetricCheck P95 = new MetricCheck("p95", new MetricCheck.Source.Query("q"), 0.5, null, null,
            false);
    private static final MetricCheck MEMORY = new MetricCheck("memory", new MetricCheck.Source.Query("m"), 100.0,
            null, null, true);

    private static Decider decider(List<MetricCheck> checks) {
        return new Decider(new RolloutSettings(List.of(10, 25, 50, 100), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Approval.NONE, Duration.ofSeconds(30), Duration.ofSeconds(1), 2,
                new JudgeSettings(0.05, 0.02, 20), 2, 5, 5, Duration.ofSeconds(60), Duration.ZERO, checks));
    }

    /**
     * Runs up to {@code intervals} intervals of a healthy error rate (100 requests each colour, 1 % errors) with the
     * checks' readings of each interval; returns the last decision, or the first that leaves step 1.
     */
    private static Decision run(Decider decider, int intervals, IntFunction<ChecksSeen> checks) {
        RolloutState s = DeciderTest.at(new Phase.Shifting(0), Split.green(10));
        Decision d = null;
        for (int i = 0; i <= intervals; i++) {
            Counts c = new Counts(100L * i, i);
            d = decider.decide(s, new Snapshot(DeciderTest.T0.plusSeconds(i + 1), null, 0, new Observation.Measured(c),
                    new Observation.Measured(c), new WeightCheck.Matches(), checks.apply(i)));
            if (!d.next().phase().equals(s.phase())) {
                return d;
            }
            s = d.next();
        }
        return d;
    }

    private static ChecksSeen values(double p95, double memory) {
        return new ChecksSeen(Map.of("p95", new CheckReading.Value(p95), "memory", new CheckReading.Value(memory)),
                Map.of(), null);
    }

    @Test
    void aCheckOverItsLimitRollsBackWithItsNameValueAndLimitInTheReason() {
        Decision d = run(decider(List.of(P95, MEMORY)), 20, i -> values(0.8, 1));

        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.RollingBack.class, r -> assertThat(r.reason())
                .startsWith("analysis failed (2 failures in a row, 2 in all): check p95 failed: green 0.8000, limit"
                        + " max 0.5000; above the limit"));
    }

    @Test
    void aFailingDryRunCheckIsRecordedWithEveryVerdictButTheStepPasses() {
        Decision d = run(decider(List.of(P95, MEMORY)), 20, i -> values(0.2, 500));

        assertThat(d.next().phase()).isEqualTo(new Phase.Shifting(1));
        RolloutEvent.AnalysisResult last = (RolloutEvent.AnalysisResult) d.next().recentVerdicts()
                .get(d.next().recentVerdicts().size() - 1);
        assertThat(last.verdict()).isEqualTo(Verdict.Kind.PASS);
        assertThat(last.checks()).extracting(CheckResult::name, CheckResult::verdict, CheckResult::dryRun)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p95", Verdict.Kind.PASS, false),
                        org.assertj.core.groups.Tuple.tuple("memory", Verdict.Kind.FAIL, true));
    }

    @Test
    void aCheckWithoutDataNeverLetsAStepPassAndPausesAtTheInconclusiveLimit() {
        Decision d = run(decider(List.of(P95)), 30, i -> new ChecksSeen(Map.of("p95",
                new CheckReading.NoData("no series")), Map.of(), null));

        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.Paused.class, p -> assertThat(p.reason())
                .contains("inconclusive verdicts in a row", "check p95: no data for green: no series"));
    }

    @Test
    void greensPodRestartingRollsBackNamingPodAndContainer() {
        Decision d = run(decider(List.of()), 20, i -> new ChecksSeen(Map.of(), Map.of(), new RestartReading.Counted(
                List.of(Restarts.container("bot-b-1", "bot", i < 3 ? 0 : 1, i < 3 ? null : "OOMKilled")), "container")));

        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.RollingBack.class, r -> assertThat(r.reason())
                .contains("check " + Checks.RESTARTS + " failed: pod bot-b-1 container bot restarted 1 time (last"
                        + " ended: OOMKilled, killed for memory)"));
    }

    @Test
    void theChecksMemoryAndResultsSurviveTheStoredState() {
        MetricCheck pair = new MetricCheck("failures", new MetricCheck.Source.Counters("f", "u"), 0.05, null, 0.02,
                false);
        Decider decider = decider(List.of(pair));
        Decision d = run(decider, 3, i -> new ChecksSeen(Map.of("failures", new CheckReading.Counted(
                new dev.botshift.analysis.Ratio(i, 100.0 * i))), Map.of("failures", new CheckReading.Counted(
                new dev.botshift.analysis.Ratio(i, 1000.0 * i))), new RestartReading.Counted(List.of(
                Restarts.container("bot-b-1", "bot", 0, null)), "container")));
        RolloutState s = d.next();
        assertThat(s.analysis().checks().windows()).containsKey("failures");
        assertThat(s.analysis().checks().restartBaselines()).containsEntry("bot-b-1/bot", 0);

        RolloutState read = RolloutStateCodec.decode(RolloutStateCodec.encode(s));

        assertThat(read).isEqualTo(s);
    }
}
