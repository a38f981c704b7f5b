package dev.botshift.rollout;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.FailureTally;
import dev.botshift.analysis.JudgeMemory;

/**
 * The judge's bookkeeping across intervals.
 *
 * @param failures           weighted failed verdicts, in a row and in all ({@link FailureTally}: the failure rule)
 * @param inconclusiveStreak inconclusive or provider-error verdicts in a row
 * @param passesThisStep     passing verdicts since the current step began
 * @param lastBlue           the last cumulative reading of blue, to compute the next interval's window
 * @param lastGreen          same for green
 * @param memory             the judge's sequential-test state
 */
public record AnalysisProgress(FailureTally failures, int inconclusiveStreak, int passesThisStep,
                               Counts lastBlue, Counts lastGreen, JudgeMemory memory) {

    public static AnalysisProgress fresh() {
        return new AnalysisProgress(FailureTally.NONE, 0, 0, null, null, JudgeMemory.EMPTY);
    }

    /** A new step: the window and the pass count start again; failures in all and the sequential evidence stay. */
    public AnalysisProgress newStep() {
        return new AnalysisProgress(failures.newStep(), 0, 0, null, null, memory.newStep());
    }
}
