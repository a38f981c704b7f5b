package dev.botshift.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.CheckReading.Counted;
import dev.botshift.analysis.CheckReading.NoData;
import dev.botshift.analysis.CheckReading.Unreachable;
import dev.botshift.analysis.CheckReading.Value;
import dev.botshift.analysis.Verdict.Kind;
import org.junit.jupiter.api.Test;

/** The custom checks' rule on seeded readings: windows, confidence bounds, baselines, no data. */
class CheckRuleTest {
    private static final int MIN = 50;
    private static final MetricCheck.Source PAIR = new MetricCheck.Source.Counters("failures", "updates");
    private static final MetricCheck FAILURES = new MetricCheck("failures", PAIR, 0.05, null, null, false);

    private static Counted counted(double numerator, double denominator) {
        return new Counted(new Ratio(numerator, denominator));
    }

    private static CheckRule.Judged judge(MetricCheck c, CheckReading green, CheckReading blue, CheckWindow w) {
        return CheckRule.judge(c, green, blue, w, MIN);
    }

    @Test
    void aCounterPairIsJudgedOverAWindowThatWaitsForMinRequestsOfItsDenominator() {
        CheckRule.Judged started = judge(FAILURES, counted(0, 100), null, null);
        assertThat(started.result().verdict()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(started.result().reason()).isEqualTo("window started");

        CheckRule.Judged thin = judge(FAILURES, counted(1, 130), null, started.window());
        assertThat(thin.result().verdict()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(thin.result().reason()).isEqualTo(
                "waiting for evidence: 30 of 50 updates (minRequests) since the window opened");
        assertThat(thin.window()).as("the window stays open").isEqualTo(started.window());

        CheckRule.Judged judged = judge(FAILURES, counted(3, 200), null, thin.window());
        assertThat(judged.result()).isEqualTo(new CheckResult("failures", Kind.PASS, 0.03, "3.0%", "max 5.0%", 100L,
                false, "green 3.0% (3 failures of 100 updates), limit max 5.0%"));
        assertThat(judged.window().green()).as("a closed window opens the next one").isEqualTo(new Ratio(3, 200));
    }

    @Test
    void aHandfulOfUnluckyEventsAboveTheLimitIsNoFailureButAClearExcessIs() {
        CheckWindow open = new CheckWindow(new Ratio(0, 0), null, null);

        CheckResult unlucky = judge(FAILURES, counted(7, 100), null, open).result();
        assertThat(unlucky.verdict()).as("7 of 100 is not above 5% with 95% confidence").isEqualTo(Kind.PASS);

        CheckResult clear = judge(FAILURES, counted(21, 100), null, open).result();
        assertThat(clear.verdict()).isEqualTo(Kind.FAIL);
        assertThat(clear.reason()).isEqualTo("green 21.0% (21 failures of 100 updates), limit max 5.0%; above the"
                + " limit, at least 15.1% with 95% confidence");
        assertThat(clear.sample()).isEqualTo(100L);
    }

    @Test
    void aClosedWindowsPassStandsWhileTheNextFillsButItsFailureCountsOnce() {
        CheckWindow open = new CheckWindow(new Ratio(0, 0), null, null);
        CheckRule.Judged passed = judge(FAILURES, counted(1, 100), null, open);
        CheckResult filling = judge(FAILURES, counted(1, 110), null, passed.window()).result();
        assertThat(filling.verdict()).isEqualTo(Kind.PASS);
        assertThat(filling.reason()).startsWith("last window: green 1.0%").endsWith("10 of 50 updates (minRequests)"
                + " since the window opened");

        CheckRule.Judged failed = judge(FAILURES, counted(30, 100), null, open);
        CheckResult after = judge(FAILURES, counted(31, 110), null, failed.window()).result();
        assertThat(after.verdict()).as("not a second failure for the same window").isEqualTo(Kind.INCONCLUSIVE);
        assertThat(after.reason()).contains("(last window FAIL: green 30.0%");
    }

    @Test
    void aCounterThatWentDownStartsTheWindowAgain() {
        CheckWindow open = new CheckWindow(new Ratio(5, 500), null, null);

        CheckRule.Judged reset = judge(FAILURES, counted(0, 20), null, open);

        assertThat(reset.result().verdict()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(reset.result().reason()).contains("a counter went down");
        assertThat(reset.window().green()).isEqualTo(new Ratio(0, 20));
    }

    @Test
    void aMinimumFailsOnItsUpperConfidenceBound() {
        MetricCheck answered = new MetricCheck("answered", new MetricCheck.Source.Counters("ok", "updates"), null,
                0.9, null, false);
        CheckWindow open = new CheckWindow(new Ratio(0, 0), null, null);

        assertThat(judge(answered, counted(80, 100), null, open).result().reason())
                .isEqualTo("green 80.0% (80 ok of 100 updates), limit min 90.0%; below the minimum, at most 85.8%"
                        + " with 95% confidence");
        assertThat(judge(answered, counted(88, 100), null, open).result().verdict()).isEqualTo(Kind.PASS);
    }

    @Test
    void aRelativeLimitComparesWithBluesWindowOnceBlueHasMinRequests() {
        MetricCheck relative = new MetricCheck("failures", PAIR, null, null, 0.02, false);
        CheckWindow open = new CheckWindow(new Ratio(0, 0), new Ratio(0, 0), null);

        CheckResult worse = judge(relative, counted(12, 100), counted(10, 1000), open).result();
        assertThat(worse.verdict()).isEqualTo(Kind.FAIL);
        assertThat(worse.limit()).isEqualTo("blue 1.0% + 2.0% = 3.0%");

        assertThat(judge(relative, counted(2, 100), counted(10, 1000), open).result().verdict()).isEqualTo(Kind.PASS);

        CheckResult thinBlue = judge(relative, counted(12, 100), counted(1, 20), open).result();
        assertThat(thinBlue.verdict()).as("no baseline and no absolute limit: nothing to judge by")
                .isEqualTo(Kind.INCONCLUSIVE);
        assertThat(thinBlue.reason()).contains("no baseline: blue has 20 updates, fewer than the 50 a baseline needs");
    }

    @Test
    void bothLimitsTheLowerOneApplies() {
        MetricCheck both = new MetricCheck("failures", PAIR, 0.05, null, 0.30, false);
        CheckWindow open = new CheckWindow(new Ratio(0, 0), new Ratio(0, 0), null);

        CheckResult r = judge(both, counted(20, 100), counted(10, 1000), open).result();

        assertThat(r.verdict()).isEqualTo(Kind.FAIL);
        assertThat(r.limit()).isEqualTo("max 5.0%, blue 1.0% + 30.0% = 31.0%");
    }

    @Test
    void aPairThatIsNoShareIsHeldToTheLimitAsItIs() {
        MetricCheck retries = new MetricCheck("retries", new MetricCheck.Source.Counters("sends", "updates"), 2.0,
                null, null, false);
        CheckWindow open = new CheckWindow(new Ratio(0, 0), null, null);

        CheckResult r = judge(retries, counted(250, 100), null, open).result();

        assertThat(r.verdict()).isEqualTo(Kind.FAIL);
        assertThat(r.shown()).isEqualTo("2.500");
        assertThat(r.reason()).isEqualTo("green 2.500 (250 sends of 100 updates), limit max 2.000; above the limit");
    }

    @Test
    void aQueryValueIsJudgedAsItIs() {
        MetricCheck p95 = new MetricCheck("p95", new MetricCheck.Source.Query("q"), 0.5, 0.01, null, false);

        assertThat(judge(p95, new Value(0.7), null, null).result()).isEqualTo(new CheckResult("p95", Kind.FAIL, 0.7,
                "0.7000", "max 0.5000, min 0.01000", null, false,
                "green 0.7000, limit max 0.5000, min 0.01000; above the limit"));
        assertThat(judge(p95, new Value(0.3), null, null).result().verdict()).isEqualTo(Kind.PASS);
        assertThat(judge(p95, new Value(0.001), null, null).result().reason()).endsWith("below the minimum");
        assertThat(judge(p95, new Value(0.3), null, null).window()).as("a query keeps no window").isNull();
    }

    @Test
    void aRelativeQueryNeedsBluesValue() {
        MetricCheck relative = new MetricCheck("p95", new MetricCheck.Source.Query("q"), null, null, 0.1, false);

        assertThat(judge(relative, new Value(0.35), new Value(0.2), null).result().verdict()).isEqualTo(Kind.FAIL);
        assertThat(judge(relative, new Value(0.25), new Value(0.2), null).result().verdict()).isEqualTo(Kind.PASS);
        CheckResult noBlue = judge(relative, new Value(0.25), new NoData("no series"), null).result();
        assertThat(noBlue.verdict()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(noBlue.reason()).isEqualTo("green 0.2500; no baseline: no data for blue: no series");
    }

    @Test
    void noDataIsInconclusiveAndAnUnreachableProviderAnErrorNeverAPass() {
        CheckWindow open = new CheckWindow(new Ratio(0, 0), null, null);

        CheckRule.Judged none = judge(FAILURES, new NoData("no instance exposes updates"), null, open);
        assertThat(none.result().verdict()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(none.result().reason()).isEqualTo("no data for green: no instance exposes updates");
        assertThat(none.window()).isEqualTo(open);

        CheckResult down = judge(FAILURES, new Unreachable("connection refused"), null, open).result();
        assertThat(down.verdict()).isEqualTo(Kind.PROVIDER_ERROR);
        assertThat(down.shown()).isNull();
    }

    @Test
    void aDryRunCheckIsJudgedAndMarked() {
        MetricCheck dry = new MetricCheck("failures", PAIR, 0.05, null, null, true);

        CheckResult r = judge(dry, counted(30, 100), null, new CheckWindow(new Ratio(0, 0), null, null)).result();

        assertThat(r.verdict()).isEqualTo(Kind.FAIL);
        assertThat(r.dryRun()).isTrue();
    }
}
