package dev.botshift.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One check's result for one interval, stored with the verdict and shown by {@code status}: what was measured,
 * against what, on how many samples, and what the check concluded (Argo Rollouts' and Flagger's most asked-for
 * detail).
 *
 * @param name    the check's name ({@link Checks#RESTARTS} for the pods' restarts)
 * @param verdict the check's own conclusion; a dry-run check's never reaches the interval's verdict
 * @param value   green's value; null without data
 * @param shown   the value as people read it ("2.1%", "0.3125"); null without data
 * @param limit   the limit it was held to, in words ("max 5.0%", "≤ blue 1.2% + 2.0% = 3.2%"); null without one
 * @param sample  the denominator's increase over the window (counter checks); null for a query's instant value
 * @param dryRun  recorded only
 * @param reason  the whole story, for the audit trail
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(String name, Verdict.Kind verdict, Double value, String shown, String limit, Long sample,
                          boolean dryRun, String reason) {

    /** "handler-failures FAIL: …" */
    public String describe() {
        return name + (dryRun ? " (dry run)" : "") + " " + verdict + ": " + reason;
    }
}
