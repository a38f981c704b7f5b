package dev.botshift.cli;

import dev.botshift.plan.Plan;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.schema.ChangelogRefusedException;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.lint.LintReportText;
import java.io.PrintWriter;

/**
 * Checks made before anything is touched: the changelog lints clean (read only: DATABASECHANGELOG at most); the bots
 * serve the metrics the analysis reads, and their database user can use the app's tables (warnings only).
 */
final class Preflight {
    private Preflight() {
    }

    /** Lints through the run's migrator, so the rollout that follows does not lint again. */
    static void lint(SchemaMigrator schema, PrintWriter err) {
        check(schema.lint(), err);
    }

    /** Warns (never refuses) when running bots of the app serve no {@code /metrics} the plan's provider reads. */
    static void botMetrics(Plan plan, StateOptions state, PrintWriter err) {
        Platforms.botMetricsWarnings(plan, state).forEach(err::println);
        err.flush();
    }

    /** Warns (never refuses) when the bots' own database user could not use the app's tables ({@code database.app}). */
    static void appUser(Plan plan, SchemaMigrator schema, PrintWriter err) {
        if (plan.database() == null || plan.database().app() == null) {
            return;
        }
        schema.appUserWarnings(plan.database().app().username()).forEach(w -> err.println("warning: " + w));
        err.flush();
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
