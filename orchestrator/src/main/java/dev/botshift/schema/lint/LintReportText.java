package dev.botshift.schema.lint;

import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The human rendering of a {@link LintReport}: one block per finding, then a one-line verdict. Findings that say the
 * same thing about several changesets of one file (a legacy file with forty unclassified statements of one kind)
 * are one block naming them all.
 */
public final class LintReportText {
    private static final int IDS_SHOWN = 10;

    private LintReportText() {
    }

    public static String format(LintReport report) {
        StringBuilder out = new StringBuilder(blocks(report, f -> true));
        for (LintReport.Skipped s : report.skipped()) {
            out.append("SKIPPED changeset ").append(s.changeSetId()).append(" (").append(s.file())
                    .append("): not for PostgreSQL, ").append(s.reason()).append('\n');
        }
        long errors = report.findings().stream()
                .filter(f -> f.severity() == Finding.Severity.ERROR && !f.accepted()).count();
        long warnings = report.findings().stream()
                .filter(f -> f.severity() == Finding.Severity.WARNING && !f.accepted()).count();
        long accepted = report.findings().stream().filter(Finding::accepted).count();
        out.append(report.changelog()).append(": ")
                .append(errors).append(" error(s), ").append(warnings).append(" warning(s), ")
                .append(accepted).append(" accepted")
                .append(report.skipped().isEmpty() ? "" : ", " + report.skipped().size() + " skipped (not for PostgreSQL)")
                .append(report.refused() ? " - REFUSED" : " - ok").append('\n');
        return dev.botshift.core.VisibleText.of(out.toString()); // it quotes the changelog's own text
    }

    /** Only the findings that refuse the changelog, for error messages. */
    public static String formatRefusing(LintReport report) {
        return blocks(report, f -> f.severity() == Finding.Severity.ERROR && !f.accepted());
    }

    private static String blocks(LintReport report, Predicate<Finding> shown) {
        Map<List<Object>, List<Finding>> groups = new LinkedHashMap<>();
        for (Finding f : report.findings()) {
            if (shown.test(f)) {
                groups.computeIfAbsent(List.of(f.rule(), f.file(), f.severity(), f.why(), f.instead(), f.accepted()),
                        k -> new ArrayList<>()).add(f);
            }
        }
        StringBuilder out = new StringBuilder();
        groups.values().forEach(g -> out.append(block(g)).append('\n'));
        return out.toString();
    }

    private static String block(List<Finding> group) {
        Finding f = group.get(0);
        String level = f.accepted() ? "ACCEPTED " + f.severity() : f.severity().name();
        List<String> ids = group.stream().map(Finding::changeSetId).distinct().toList();
        String which = ids.size() == 1 ? "changeset " + ids.get(0)
                : ids.size() + " changesets " + String.join(", ", ids.subList(0, Math.min(IDS_SHOWN, ids.size())))
                + (ids.size() > IDS_SHOWN ? ", ..." : "");
        String times = group.size() > ids.size() ? " (" + group.size() + " times)" : "";
        return level + " [" + f.rule() + "] " + which + " (" + f.file() + ")" + times + "\n"
                + "  why:     " + f.why() + "\n"
                + "  instead: " + f.instead() + "\n";
    }
}
