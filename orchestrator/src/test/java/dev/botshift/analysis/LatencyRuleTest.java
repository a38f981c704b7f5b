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

    /** {@code fast + slow} requests without errors, latencies as {@link #spread}. */
    static Counts timed(int fast, double from, double to, int slow, double slowAt) {
        return new Counts(fast + slow, 0, spread(fast, from, to, slow, slowAt));
    }

    /** 900 blue requests between 50 and 120 ms: the baseline most cases compare with. */
    static final Counts FAST_BLUE = timed(900, 0.05, 0.12, 0, 0);
    /** 100 green requests between 350 and 420 ms: 300 ms slower than {@link #FAST_BLUE}. */
    static final Counts SLOWER_GREEN = timed(100, 0.35, 0.42, 0, 0);

    private static Verdict judge(LatencyLimits limits, Counts blue, Counts green) {
        return new Judge(new JudgeSettings(0.05, 0.02, 50, limits)).judge(blue, green, JudgeMemory.EMPTY).verdict();
    }

    @Test
    void greenThreeHundredMillisecondsSlowerFailsInOneClearInterval() {
        Counts blue = FAST_BLUE;
        Counts green = SLOWER_GREEN;
        Verdict v = judge(BOTH, blue, green);
        assertThat(v).isInstanceOfSatisfying(Verdict.Fail.class, f -> {
            assertThat(f.weight()).as("100 of 100 slower is no noise").isEqualTo(3);
            assertThat(f.reason()).startsWith("green is too slow: p99 green 4").contains("blue 1")
                    .contains("of 900").contains("100 of 100 green requests slower than the limit");
        });
    }

    @Test
    void greenLikeBluePassesAndTheReasonShowsBothP99sAndTheLimit() {
        Counts blue = timed(900, 0.05, 0.12, 9, 0.3);
        Counts green = timed(200, 0.05, 0.12, 2, 0.3);
        Verdict v = judge(BOTH, blue, green);
        assertThat(v).as(v.reason()).isInstanceOf(Verdict.Pass.class);
        assertThat(v.reason()).contains("p99 green").contains(", blue").contains("limit");
    }

    @Test
    void aFewSlowRequestsAreNoEvidence() {
        Counts blue = FAST_BLUE;
        // 3 of 100 above the limit: 3 % observed, yet a green at the 1 % a p99 allows shows as many 8 times in 100
        // (the Wilson bound would call it 1.2 % at least and fail a healthy green 1 rollout in 500)
        Counts green = timed(97, 0.05, 0.12, 3, 2.0);
        Verdict v = judge(BOTH, blue, green);
        assertThat(v).as(v.reason()).isInstanceOf(Verdict.Pass.class);
        Counts four = timed(96, 0.05, 0.12, 4, 2.0);
        assertThat(judge(BOTH, blue, four)).as("4 of 100: probability 0.018 at the limit").isInstanceOf(Verdict.Fail.class);
        // the same share on ten times the requests is evidence
        Counts more = timed(1000, 0.05, 0.12, 20, 2.0);
        assertThat(judge(BOTH, blue, more)).isInstanceOf(Verdict.Fail.class);
    }

    @Test
    void bluesP99IsTakenAtItsUpperConfidenceBound() {
        assertThat(LatencyRule.upperRank(300, 1.645)).isBetween(0.9994, 0.9995);
        assertThat(LatencyRule.upperRank(30_000, 1.645)).isBetween(0.9909, 0.9910);
        assertThat(LatencyRule.upperRank(100, 1.645)).isEqualTo(0.9999);
    }

    @Test
    void withoutABaselineOnlyTheAbsoluteLimitJudges() {
        Counts fewBlue = timed(40, 0.05, 0.12, 0, 0);
        Counts slowerThanBlue = SLOWER_GREEN;
        Verdict relative = judge(RELATIVE, fewBlue, slowerThanBlue);
        assertThat(relative).as("a p99 of 40 requests is a guess").isInstanceOf(Verdict.Pass.class);
        assertThat(relative.reason()).contains("no limit yet (blue has 40 of the 100");
        assertThat(judge(BOTH, null, slowerThanBlue)).as("under p99Max 800 ms").isInstanceOf(Verdict.Pass.class);
        Counts overAbsolute = timed(100, 0.9, 1.1, 0, 0);
        assertThat(judge(BOTH, null, overAbsolute)).isInstanceOf(Verdict.Fail.class);
    }

    @Test
    void blueBaselineAccumulatesAcrossIntervalsAndSteps() {
        Judge judge = new Judge(new JudgeSettings(0.05, 0.02, 50, RELATIVE));
        Counts blue = timed(60, 0.05, 0.12, 0, 0);
        Counts slow = SLOWER_GREEN;
        Judge.Judgement first = judge.judge(blue, slow, JudgeMemory.EMPTY);
        assertThat(first.verdict()).as("60 blue requests: no baseline yet").isInstanceOf(Verdict.Pass.class);
        assertThat(first.memory().baselineLatency().total()).isEqualTo(60);
        Judge.Judgement second = judge.judge(blue, slow, first.memory());
        assertThat(second.verdict()).as("120 blue requests over the step: a baseline").isInstanceOf(Verdict.Fail.class);
        assertThat(second.memory().newStep(false).baselineLatency().total())
                .as("blue's latency is blue's, whatever its share").isEqualTo(120);
        assertThat(second.memory().newStep(false).baselineRequests()).as("its error baseline starts again").isZero();
    }

    @Test
    void tooFewGreenRequestsStayInconclusiveWhateverTheirLatency() {
        Counts blue = FAST_BLUE;
        Counts green = timed(20, 5, 6, 0, 0);
        assertThat(judge(BOTH, blue, green)).isInstanceOf(Verdict.Inconclusive.class);
    }

    @Test
    void withoutLatencyLimitsTheReasonSaysNothingAboutLatency() {
        Counts blue = FAST_BLUE;
        Counts green = SLOWER_GREEN;
        Verdict v = judge(null, blue, green);
        assertThat(v).isInstanceOf(Verdict.Pass.class);
        assertThat(v.reason()).doesNotContain("p99");
        assertThat(judge(BOTH, blue, new Counts(100, 0)).reason()).contains("no latency measured for green");
    }
}
