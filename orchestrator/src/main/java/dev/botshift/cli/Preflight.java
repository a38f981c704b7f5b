package dev.botshift.cli;

import dev.botshift.plan.Plan;
import dev.botshift.schema.ChangelogRefusedException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import dev.botshift.schema.lint.LintReportText;
import java.io.PrintWriter;

/** Checks made before anything is touched: the changelog lints clean (read only: DATABASECHANGELOG at most). */
final class Preflight {
    private Preflight() {
    }

    static void lint(Plan plan, PrintWriter err) {
        lint(plan, err, true);
    }

    /**
     * @param readHistory read DATABASECHANGELOG when the database can be reached, so applied changesets are not
     *                    judged again and their tables count as live (Reachability reports an unreachable one)
     */
    static void lint(Plan plan, PrintWriter err, boolean readHistory) {
        LiquibaseSchemaMigrator schema = new LiquibaseSchemaMigrator(plan.database(), ChangelogSource.of(plan), line -> { });
        LintReport report = readHistory ? schema.lintAgainstHistory() : schema.lint();
        if (report.refused()) {
            throw new ChangelogRefusedException(report, LintReportText.formatRefusing(report));
        }
        if (!report.findings().isEmpty()) {
            err.println(LintReportText.format(report));
            err.flush();
        }
    }
}
