package dev.botshift.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.Verdict.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks together: the pods' restarts, dry runs, and how the checks join the judge's verdict. */
class ChecksTest {
    private static final MetricCheck QUERY = new MetricCheck("p95", new MetricCheck.Source.Query("q"), 0.5, null,
            null, false);
    private static final MetricCheck DRY = new MetricCheck("memory", new MetricCheck.Source.Query("m"), 100.0, null,
            null, true);

    private static ChecksSeen values(double p95, double memory) {
        return new ChecksSeen(Map.of("p95", new CheckReading.Value(p95), "memory", new CheckReading.Value(memory)),
                Map.of(), null);
    }

    private static ChecksSeen pods(Restarts... containers) {
        return new ChecksSeen(Map.of(), Map.of(), new RestartReading.Counted(List.of(containers), "container"));
    }

    private static Checks.Outcome judge(ChecksSeen seen, CheckMemory memory) {
        return Checks.judge(List.of(QUERY, DRY), seen, memory, 50);
    }

    @Test
    void aFailingCheckFailsAPassingIntervalWithItsNameValueAndLimit() {
        Checks.Outcome o = judge(values(0.7, 1), CheckMemory.EMPTY);

        Verdict v = Checks.combine(new Verdict.Pass("green 1.0% of 200, limit 5.0%"), o);

        assertThat(v).isEqualTo(new Verdict.Fail("check p95 failed: green 0.7000, limit max 0.5000; above the limit"
                + " (green 1.0% of 200, limit 5.0%)"));
    }

    @Test
    void aFailingDryRunCheckIsRecordedButChangesNothing() {
        Checks.Outcome o = judge(values(0.3, 500), CheckMemory.EMPTY);

        assertThat(o.results()).extracting(CheckResult::name, CheckResult::verdict, CheckResult::dryRun)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p95", Kind.PASS, false),
                        org.assertj.core.groups.Tuple.tuple("memory", Kind.FAIL, true));
        assertThat(Checks.combine(new Verdict.Pass("errors fine"), o))
                .isEqualTo(new Verdict.Pass("errors fine; checks pass: p95"));
    }

    @Test
    void aCheckWithoutDataKeepsAnIntervalFromPassingAndAnUnreadableOneIsAProviderError() {
        Checks.Outcome none = judge(new ChecksSeen(Map.of("p95", new CheckReading.NoData("no series"),
                "memory", new CheckReading.Value(1)), Map.of(), null), CheckMemory.EMPTY);
        assertThat(Checks.combine(new Verdict.Pass("errors fine"), none)).isEqualTo(
                new Verdict.Inconclusive("check p95: no data for green: no series (errors fine)"));

        Checks.Outcome down = judge(new ChecksSeen(Map.of("p95", new CheckReading.Unreachable("refused"),
                "memory", new CheckReading.Value(1)), Map.of(), null), CheckMemory.EMPTY);
        assertThat(Checks.combine(new Verdict.Pass("errors fine"), down).kind()).isEqualTo(Kind.PROVIDER_ERROR);
    }

    @Test
    void theJudgesOwnVerdictOtherwiseStandsAndAFailureKeepsItsWeight() {
        Checks.Outcome pass = judge(values(0.3, 1), CheckMemory.EMPTY);
        Checks.Outcome fail = judge(values(0.9, 1), CheckMemory.EMPTY);
        Verdict waiting = new Verdict.Inconclusive("10 green requests < minRequests 50");

        assertThat(Checks.combine(waiting, pass)).isEqualTo(waiting);
        Verdict both = Checks.combine(new Verdict.Fail("green 40.0% of 200", 2), fail);
        assertThat(both).isInstanceOfSatisfying(Verdict.Fail.class, f -> {
            assertThat(f.weight()).isEqualTo(2);
            assertThat(f.reason()).isEqualTo("green 40.0% of 200; check p95 failed: green 0.9000, limit max 0.5000;"
                    + " above the limit");
        });
        assertThat(Checks.combine(waiting, fail).kind()).as("a check needs no green requests to fail")
                .isEqualTo(Kind.FAIL);
    }

    @Test
    void withoutReadingsNothingIsJudgedAndTheMemoryStays() {
        CheckMemory memory = new CheckMemory(Map.of(), Map.of("p/bot", 1));

        Checks.Outcome o = Checks.judge(List.of(QUERY), null, memory, 50);

        assertThat(o.results()).isEmpty();
        assertThat(o.memory()).isEqualTo(memory);
    }

    @Test
    void restartsCountFromGreensFirstJudgedIntervalAndAnOomKillIsNamed() {
        Checks.Outcome first = Checks.judge(List.of(), pods(Restarts.container("bot-b-1", "bot", 1, "Error")),
                CheckMemory.EMPTY, 50);
        assertThat(first.results()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo(Checks.RESTARTS);
            assertThat(r.verdict()).as("a restart while green started is not counted").isEqualTo(Kind.PASS);
        });
        assertThat(first.memory().restartBaselines()).isEqualTo(Map.of("bot-b-1/bot", 1));

        Checks.Outcome killed = Checks.judge(List.of(), pods(
                Restarts.container("bot-b-1", "bot", 2, Restarts.OOM_KILLED),
                Restarts.container("bot-b-2", "bot", 0, null)), first.memory(), 50);
        CheckResult r = killed.results().get(0);
        assertThat(r).isEqualTo(new CheckResult(Checks.RESTARTS, Kind.FAIL, 1.0, "1", "max 0", null, false,
                "pod bot-b-1 container bot restarted 1 time (last ended: OOMKilled, killed for memory) since green was"
                        + " first judged"));
        assertThat(Checks.combine(new Verdict.Pass("errors fine"), killed).kind()).isEqualTo(Kind.FAIL);

        Checks.Outcome still = Checks.judge(List.of(), pods(
                Restarts.container("bot-b-1", "bot", 2, Restarts.OOM_KILLED)), killed.memory(), 50);
        assertThat(still.results().get(0).verdict()).as("the restart keeps failing until green is rolled back")
                .isEqualTo(Kind.FAIL);
    }

    @Test
    void aPodThatAppearsLaterCountsFromZero() {
        CheckMemory memory = new CheckMemory(Map.of(), Map.of("bot-b-1/bot", 0));

        CheckResult r = Checks.judge(List.of(), pods(Restarts.container("bot-b-1", "bot", 0, null),
                Restarts.container("bot-b-7", "sidecar", 3, "Error")), memory, 50).results().get(0);

        assertThat(r.verdict()).isEqualTo(Kind.FAIL);
        assertThat(r.reason()).startsWith("pod bot-b-7 container sidecar restarted 3 times (last ended: Error)");
    }

    @Test
    void podsThatCannotBeListedAreAProviderErrorAndNoPodsNoBaseline() {
        CheckResult down = Checks.judge(List.of(), new ChecksSeen(Map.of(), Map.of(),
                new RestartReading.Unreachable("HTTP 403")), CheckMemory.EMPTY, 50).results().get(0);
        assertThat(down.verdict()).isEqualTo(Kind.PROVIDER_ERROR);

        Checks.Outcome empty = Checks.judge(List.of(), pods(), CheckMemory.EMPTY, 50);
        assertThat(empty.results().get(0).verdict()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(empty.memory().restartBaselines()).as("the baseline waits for green's pods").isNull();
    }
}
