package dev.botshift.rollout;

import dev.botshift.analysis.CheckMemory;
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
 * @param checks             the custom checks' windows and green's restart counts (null in a state written before
 *                           there were checks: read as none)
 */
public record AnalysisProgress(FailureTally failures, int inconclusiveStreak, int passesThisStep,
                               Counts lastBlue, Counts lastGreen, JudgeMemory memory, CheckMemory checks) {

    public AnalysisProgress {
        java.util.Objects.requireNonNull(failures, "failures");
        checks = checks == null ? CheckMemory.EMPTY : checks;
    }

    public AnalysisProgress(FailureTally failures, int inconclusiveStreak, int passesThisStep, Counts lastBlue,
                            Counts lastGreen, JudgeMemory memory) {
        this(failures, inconclusiveStreak, passesThisStep, lastBlue, lastGreen, memory, CheckMemory.EMPTY);
    }

    public static AnalysisProgress fresh() {
        return new AnalysisProgress(FailureTally.NONE, 0, 0, null, null, JudgeMemory.EMPTY, CheckMemory.EMPTY);
    }

    /**
     * A new step: the window and the pass count start again; failures in all, the sequential evidence and the
     * checks' memory stay (a ratio does not depend on green's share; restarts count for the whole rollout); blue's
     * baseline carries the step that ended where blue still serves ({@link JudgeMemory#newStep}).
     */
    public AnalysisProgress newStep(boolean blueServes) {
        return new AnalysisProgress(failures.newStep(), 0, 0, null, null, memory.newStep(blueServes), checks);
    }

    /** The same progress with the checks' memory of this interval. */
    public AnalysisProgress withChecks(CheckMemory next) {
        return new AnalysisProgress(failures, inconclusiveStreak, passesThisStep, lastBlue, lastGreen, memory, next);
    }
}
