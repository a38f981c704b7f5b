package dev.botshift.cli;

import dev.botshift.plan.Plan;
import dev.botshift.schema.ChangelogRefusedException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.lightlock.EngineRunForms;
import dev.botshift.schema.lint.ChangelogLinter;
import dev.botshift.schema.lint.LintReportText;
import java.io.PrintWriter;

/** Checks made before anything is touched: the changelog lints clean. */
final class Preflight {
    private Preflight() {
    }

    static void lint(Plan plan, PrintWriter err) {
        LintReport report = new ChangelogLinter(new EngineRunForms()).lint(ChangelogSource.of(plan));
        if (report.refused()) {
            throw new ChangelogRefusedException(report, LintReportText.formatRefusing(report));
        }
        if (!report.findings().isEmpty()) {
            err.println(LintReportText.format(report));
            err.flush();
        }
    }
}
