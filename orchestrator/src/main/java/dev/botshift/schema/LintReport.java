package dev.botshift.schema;

import java.util.List;

/** All findings of one lint run. */
public record LintReport(String changelog, List<Finding> findings) {

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
}
