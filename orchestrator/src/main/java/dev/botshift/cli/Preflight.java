package dev.botshift.cli;

import dev.botshift.schema.ChangelogRefusedException;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.lint.LintReportText;
import java.io.PrintWriter;

/** Checks made before anything is touched: the changelog lints clean. */
final class Preflight {
    private Preflight() {
    }

    /** Lints through the run's migrator, so the rollout that follows does not lint again. */
    static void lint(SchemaMigrator schema, PrintWriter err) {
        LintReport report = schema.lint();
        if (report.refused()) {
            throw new ChangelogRefusedException(report, LintReportText.formatRefusing(report));
        }
        if (!report.findings().isEmpty()) {
            err.println(LintReportText.format(report));
            err.flush();
        }
    }
}
