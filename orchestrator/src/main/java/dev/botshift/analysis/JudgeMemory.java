package dev.botshift.analysis;

/**
 * What the judge carries from one interval to the next.
 *
 * @param cusum the one-sided CUSUM of the log-likelihood ratio "green's error rate is at the limit" against
 *              "green's error rate is at the baseline"; never negative
 */
public record JudgeMemory(double cusum) {
    public static final JudgeMemory EMPTY = new JudgeMemory(0);
}
