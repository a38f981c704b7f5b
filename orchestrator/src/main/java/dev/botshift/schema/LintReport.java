package dev.botshift.schema;

import java.util.List;

/**
 * All findings of one lint run.
 *
 * @param skipped changesets that do not run on PostgreSQL ({@code dbms}, {@code ignore}, a dbms precondition that
 *                marks them ran): not linted, and said so
 */
public record LintReport(String changelog, List<Finding> findings, List<Skipped> skipped) {

    public LintReport {
        findings = List.copyOf(findings);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }

    public LintReport(String changelog, List<Finding> findings) {
        this(changelog, findings, List.of());
    }

    public boolean refused() {
        return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR && !f.accepted());
    }

    /**
     * One finding.
     *
     * @param changeSetId  the changeset it is about
     * @param file         the changelog file that holds the changeset
     * @param rule         stable rule id, e.g. {@code expand-drop-column}
     * @param severity     ERROR refuses the changelog, WARNING is shown only
     * @param why          why it is unsafe
     * @param instead      the safe alternative
     * @param accepted     a human accepted it explicitly for this changeset
     */
    public record Finding(String changeSetId, String file, String rule, Severity severity, String why, String instead,
                          boolean accepted) {
        public enum Severity { ERROR, WARNING }
    }

    /** A changeset that does not run on PostgreSQL, and why. */
    public record Skipped(String changeSetId, String file, String reason) {
    }
}
