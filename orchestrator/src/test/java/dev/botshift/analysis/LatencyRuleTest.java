package dev.botshift.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The judge's latency rule on seeded histograms (the router's bucket layout: 1 ms to 60 s, 20 % apart). */
class LatencyRuleTest {
    static final List<Double> BOUNDS = bounds();
    static final LatencyLimits BOTH = new LatencyLimits(0.8, 0.2);
    static final LatencyLimits RELATIVE = new LatencyLimits(0, 0.2);

    static List<Double> bounds() {
        List<Double> b = new ArrayList<>();
        for (double x = 0.001; x < 60; x *= 1.2) {
            b.add(x);
        }
        return b;
    }

    /** n requests spread evenly between from and to seconds, plus slow ones at slowAt. */
    static Latencies spread(int n, double from, double to, int slow, double slowAt) {
        long[] counts = new long[BOUNDS.size() + 1];
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < n + slow; i++) {
            double v = i < n ? from + (to - from) * random.nextDouble() : slowAt;
            int bucket = 0;
            while (bucket < BOUNDS.size() && v > BOUNDS.get(bucket)) {
                bucket++;
            }
            counts[bucket]++;
        }
        return new Latencies(BOUNDS, java.util.Arrays.stream(counts).boxed().toList());
    }

    private static Verdict judge(LatencyLimits limits, Counts blue, Counts green) {
        return new Judge(new JudgeSettings(0.05, 0.02, 50, limits)).judge(blue, green, JudgeMemory.EMPTY).verdict();
    }

    @Test
    void greenThreeHundredMillisecondsSlowerFailsInOneClearInterval() {
        Counts blue = new Counts(900, 0, spread(900, 0.05, 0.12, 0, 0));
        Counts green = new Counts(100, 0, spread(100, 0.35, 0.42, 0, 0));
        Verdict v = judge(BOTH, blue, green);
        assertThat(v).isInstanceOfSatisfying(Verdict.Fail.class, f -> {
            assertThat(f.weight()).as("100 of 100 slower is no noise").isEqualTo(3);
            assertThat(f.reason()).startsWith("green is too slow: p99 green 4").contains("blue 1")
                    .contains("of 900").contains("100 of 100 green requests slower than the limit");
        });
    }

    @Test
    void greenLikeBluePassesAndTheReasonShowsBothP99sAndTheLimit() {
        Counts blue = new Counts(900, 0, spread(900, 0.05, 0.12, 9, 0.3));
        Counts green = new Counts(200, 0, spread(200, 0.05, 0.12, 2, 0.3));
        Verdict v = judge(BOTH, blue, green);
        assertThat(v).as(v.reason()).isInstanceOf(Verdict.Pass.class);
        assertThat(v.reason()).contains("p99 green").contains(", blue").contains("limit");
    }

    @Test
    void aFewSlowRequestsAreNoEvidence() {
        Counts blue = new Counts(900, 0, spread(900, 0.05, 0.12, 0, 0));
        // 2 of 100 above the limit: 2 % observed, but its 95 % lower bound is below the 1 % a p99 allows
        Counts green = new Counts(102, 0, spread(100, 0.05, 0.12, 2, 2.0));
        Verdict v = judge(BOTH, blue, green);
        assertThat(v).as(v.reason()).isInstanceOf(Verdict.Pass.class);
        // the same share on ten times the requests is evidence
        Counts more = new Counts(1020, 0, spread(1000, 0.05, 0.12, 20, 2.0));
        assertThat(judge(BOTH, blue, more)).isInstanceOf(Verdict.Fail.class);
    }

    @Test
    void withoutABaselineOnlyTheAbsoluteLimitJudges() {
        Counts fewBlue = new Counts(40, 0, spread(40, 0.05, 0.12, 0, 0));
        Counts slowerThanBlue = new Counts(100, 0, spread(100, 0.35, 0.42, 0, 0));
        Verdict relative = judge(RELATIVE, fewBlue, slowerThanBlue);
        assertThat(relative).as("a p99 of 40 requests is a guess").isInstanceOf(Verdict.Pass.class);
        assertThat(relative.reason()).contains("no limit yet (blue has 40 of the 100");
        assertThat(judge(BOTH, null, slowerThanBlue)).as("under p99Max 800 ms").isInstanceOf(Verdict.Pass.class);
        Counts overAbsolute = new Counts(100, 0, spread(100, 0.9, 1.1, 0, 0));
        assertThat(judge(BOTH, null, overAbsolute)).isInstanceOf(Verdict.Fail.class);
    }

    @Test
    void blueBaselineAccumulatesAcrossIntervalsAndSteps() {
        Judge judge = new Judge(new JudgeSettings(0.05, 0.02, 50, RELATIVE));
        Counts blue = new Counts(60, 0, spread(60, 0.05, 0.12, 0, 0));
        Counts slow = new Counts(100, 0, spread(100, 0.35, 0.42, 0, 0));
        Judge.Judgement first = judge.judge(blue, slow, JudgeMemory.EMPTY);
        assertThat(first.verdict()).as("60 blue requests: no baseline yet").isInstanceOf(Verdict.Pass.class);
        assertThat(first.memory().baselineLatency().total()).isEqualTo(60);
        Judge.Judgement second = judge.judge(blue, slow, first.memory());
        assertThat(second.verdict()).as("120 blue requests over the step: a baseline").isInstanceOf(Verdict.Fail.class);
        assertThat(second.memory().newStep().baselineLatency().total()).as("blue's latency is blue's, whatever its share")
                .isEqualTo(120);
        assertThat(second.memory().newStep().baselineRequests()).as("its error baseline starts again").isZero();
    }

    @Test
    void tooFewGreenRequestsStayInconclusiveWhateverTheirLatency() {
        Counts blue = new Counts(900, 0, spread(900, 0.05, 0.12, 0, 0));
        Counts green = new Counts(20, 0, spread(20, 5, 6, 0, 0));
        assertThat(judge(BOTH, blue, green)).isInstanceOf(Verdict.Inconclusive.class);
    }

    @Test
    void withoutLatencyLimitsTheReasonSaysNothingAboutLatency() {
        Counts blue = new Counts(900, 0, spread(900, 0.05, 0.12, 0, 0));
        Counts green = new Counts(100, 0, spread(100, 0.35, 0.42, 0, 0));
        Verdict v = judge(null, blue, green);
        assertThat(v).isInstanceOf(Verdict.Pass.class);
        assertThat(v.reason()).doesNotContain("p99");
        assertThat(judge(BOTH, blue, new Counts(100, 0)).reason()).contains("no latency measured for green");
    }
}
