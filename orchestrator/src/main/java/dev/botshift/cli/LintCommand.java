package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.lightlock.EngineRunForms;
import dev.botshift.schema.lint.ChangelogLinter;
import dev.botshift.schema.lint.LintReportText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lint",
        description = {"Check a changelog for changes that would break the running version (offline: no database).",
                "Every changeset needs the label expand or contract. Expand changesets must be backward compatible "
                        + "(no drop, rename, type change, NOT NULL on existing columns, validated constraints, blocking "
                        + "index builds); contract changesets are checked for work that belongs in expand.",
                "Exit 0 when clean or only warnings, 2 when a changeset is refused. Rules: docs/linter.md"})
final class LintCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<changelog>", description = "Root changelog (XML, YAML, JSON or formatted SQL).")
    Path changelog;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text", description = "text or json.")
    Output output;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(changelog)) {
            throw new InvalidInputException(changelog + ": no such changelog file");
        }
        LintReport report = new ChangelogLinter(new EngineRunForms()).lint(changelog);
        if (output == Output.json) {
            System.out.println(dev.botshift.rollout.RolloutStateCodec.mapper().writeValueAsString(report));
        } else {
            System.out.println(report.findings().isEmpty() ? changelog + ": clean" : LintReportText.format(report));
        }
        return report.refused() ? 2 : 0;
    }
}
