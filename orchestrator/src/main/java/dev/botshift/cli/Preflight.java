package dev.botshift.cli;

import dev.botshift.schema.ChangelogRefusedException;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.lint.LintReportText;
import java.io.PrintWriter;

/** Checks made before anything is touched: the changelog lints clean (read only: DATABASECHANGELOG at most). */
final class Preflight {
    private Preflight() {
    }

    /** Lints through the run's migrator, so the rollout that follows does not lint again. */
    static void lint(SchemaMigrator schema, PrintWriter err) {
        check(schema.lint(), err);
    }

    /** Refuses (exit 2, nothing changed) a changelog with a refused finding; shows the others. */
    static void check(LintReport report, PrintWriter err) {
        if (report.refused()) {
            throw new ChangelogRefusedException(report, LintReportText.formatRefusing(report));
        }
        if (!report.findings().isEmpty()) {
            err.println(LintReportText.format(report));
            err.flush();
        }
    }
}
