package dev.botshift.schema;

import dev.botshift.core.InvalidInputException;

/** The linter refused the changelog: nothing was run. Exit code 2; the message lists every refusing finding. */
public class ChangelogRefusedException extends InvalidInputException {
    private final transient LintReport report;

    public ChangelogRefusedException(LintReport report, String renderedFindings) {
        super("changelog " + report.changelog() + " refused by the linter, nothing was changed:\n" + renderedFindings);
        this.report = report;
    }

    public LintReport report() {
        return report;
    }
}
