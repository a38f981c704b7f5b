package dev.botshift.schema.lint;

import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;

/** The human rendering of a {@link LintReport}: one block per finding, then a one-line verdict. */
public final class LintReportText {
    private LintReportText() {
    }

    public static String format(LintReport report) {
        StringBuilder out = new StringBuilder();
        for (Finding f : report.findings()) {
            out.append(findingBlock(f)).append('\n');
        }
        long errors = report.findings().stream()
                .filter(f -> f.severity() == Finding.Severity.ERROR && !f.accepted()).count();
        long warnings = report.findings().stream()
                .filter(f -> f.severity() == Finding.Severity.WARNING && !f.accepted()).count();
        long accepted = report.findings().stream().filter(Finding::accepted).count();
        out.append(report.changelog()).append(": ")
                .append(errors).append(" error(s), ").append(warnings).append(" warning(s), ")
                .append(accepted).append(" accepted")
                .append(report.refused() ? " - REFUSED" : " - ok").append('\n');
        return out.toString();
    }

    /** Only the findings that refuse the changelog, for error messages. */
    public static String formatRefusing(LintReport report) {
        StringBuilder out = new StringBuilder();
        report.findings().stream()
                .filter(f -> f.severity() == Finding.Severity.ERROR && !f.accepted())
                .forEach(f -> out.append(findingBlock(f)));
        return out.toString();
    }

    static String findingBlock(Finding f) {
        String level = f.accepted() ? "ACCEPTED " + f.severity() : f.severity().name();
        return level + " [" + f.rule() + "] changeset " + f.changeSetId() + " (" + f.file() + ")\n"
                + "  why:     " + f.why() + "\n"
                + "  instead: " + f.instead() + "\n";
    }
}
