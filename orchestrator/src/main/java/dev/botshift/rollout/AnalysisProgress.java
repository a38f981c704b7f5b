package dev.botshift.rollout;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.JudgeMemory;

/**
 * The judge's bookkeeping across intervals.
 *
 * @param consecutiveFailures failed verdicts in a row
 * @param totalFailures       failed verdicts in the whole rollout
 * @param inconclusiveStreak  inconclusive or provider-error verdicts in a row
 * @param passesThisStep      passing verdicts since the current step began
 * @param lastBlue            the last cumulative reading of blue, to compute the next interval's window
 * @param lastGreen           same for green
 * @param memory              the judge's sequential-test state
 */
public record AnalysisProgress(int consecutiveFailures, int totalFailures, int inconclusiveStreak, int passesThisStep,
                               Counts lastBlue, Counts lastGreen, JudgeMemory memory) {

    public static AnalysisProgress fresh() {
        return new AnalysisProgress(0, 0, 0, 0, null, null, JudgeMemory.EMPTY);
    }

    /** A new step: the window and the pass count start again, the failure totals stay. */
    public AnalysisProgress newStep() {
        return new AnalysisProgress(0, totalFailures, 0, 0, null, null, JudgeMemory.EMPTY);
    }
}
