package dev.botshift.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/** The hypotheses the judge and the router's guard test green against, for every blue the rollout can meet. */
class SequentialTestTest {

    // A blue failing by itself (a shared outage) makes the limit blue's rate plus the allowed increase: at 80 %, 1.5 ×
    // blue was no error rate, the success step the log of a negative number, and both sums NaN for good.
    @Property(tries = 2_000)
    void everyBlueGivesFiniteStepsThatTellErrorsFromSuccesses(
            @ForAll @LongRange(min = 1, max = 100_000) long blueRequests, @ForAll @DoubleRange(max = 1) @Scale(4) double blueShare,
            @ForAll @DoubleRange(min = 0.001, max = 1) @Scale(4) double maxErrorRate,
            @ForAll @DoubleRange(max = 0.5) @Scale(4) double maxIncrease) {
        long blueErrors = Math.round(blueRequests * blueShare);
        Judge judge = new Judge(new JudgeSettings(maxErrorRate, maxIncrease, 1));
        for (SequentialTest test : new SequentialTest[] {judge.sequentialTest(blueRequests, blueErrors),
                judge.sequentialTest(blueRequests, blueErrors).steep()}) {
            assertThat(test.errorStep()).as("%s", test).isFinite().isPositive();
            assertThat(test.successStep()).as("%s", test).isFinite().isNegative();
        }
    }

    @Test
    void aBlueFailingAt80PercentIsTestedAgainstAGreenWorseThanItBelow100Percent() {
        SequentialTest test = SequentialTest.against(0.82, 0.8);
        assertThat(test.p0()).isEqualTo(0.8);
        assertThat(test.p1()).as("halfway from blue's 80 % to 100 %").isEqualTo(0.9);
        assertThat(test.steep().p1()).isEqualTo(0.9);
    }

    @Test
    void hypothesesThatGiveNoFiniteStepsAreRefused() {
        assertThatThrownBy(() -> new SequentialTest(0.8, 1.2)).hasMessageContaining("0 < p0 < p1 < 1");
        assertThatThrownBy(() -> new SequentialTest(0.05, 0.05)).hasMessageContaining("0 < p0 < p1 < 1");
        assertThatThrownBy(() -> new SequentialTest(0, 0.05)).hasMessageContaining("0 < p0 < p1 < 1");
    }
}
